#include "registry/command_catalog.h"

#include <string>
#include <utility>
#include <vector>

#include "engine/command_schema.h"
#include "registry/registry_book.h"

namespace govassess::registry {
namespace {

using namespace catalog;  // NOLINT: the catalogue reads as a table of these pieces

Json Strings(const std::string& description = "", int min_items = 0) {
  return List(NonEmptyStr(), description, min_items);
}

// Every registry command reads its reason from the command or from payload.reason.
Json ReasonField() { return Str("the reason, when the command's own reason is empty"); }
// A payload with only the reason.
Json ReasonOnly() { return Obj({{"reason", ReasonField()}}); }

// A registry command: its payload carries at least the reason.
class Cmd : public catalog::Cmd {
 public:
  Cmd(const std::string& name, const std::string& summary)
      : catalog::Cmd(name, summary, ReasonOnly()) {}
};

// The application fields (ApplyFields in special_assessment_workflow.cc); `creating`
// adds lead and year, which are fixed afterwards.
Json ApplicationFields(bool creating) {
  Json p{{"name", NonEmptyStr("the special assessment's name")},
         {"kind", OneOf({"planned", "one_off"}, "one_off: 一事一报, needs a justification")},
         {"justification", Str("why a one-off application cannot wait for the yearly plan")},
         {"basis", Str("the legal or policy basis (required to submit)")},
         {"co_leads", Strings("co-lead units")},
         {"assessed_units", Strings("the units it assesses")},
         {"indicators", Strings("its indicators (required to submit)")},
         {"scoring_rules", Any("free form: text, a list of rules or an object by indicator")},
         {"frequency", Str()},
         {"data_collection", Str("the data-collection plan")},
         {"weight", Json{{"type", "number"},
                         {"minimum", 0},
                         {"maximum", 1000},
                         {"description",
                          "requested weight in the comprehensive assessment (千分制 points)"}}},
         {"period", Obj({{"from", Day()}, {"to", Day()}}, {"from", "to"}, false, "from <= to")},
         {"reason", ReasonField()}};
  if (creating) {
    p["lead"] = NonEmptyStr("the lead department: the applicant's own unit (the default)");
    p["year"] =
        Json{{"type", "integer"},
             {"minimum", 2000},
             {"maximum", 2100},
             {"description", "the year it counts against (default: this year, China time)"}};
  }
  return p;
}

Json LicenceFields(const std::string& licence_number) {
  return {{"valid_from", Day("default: the grant day, not before 1 January of the year")},
          {"valid_to", Day("default: 31 December of the last year of validity")},
          {"licence_number", Str(licence_number)},
          {"reason", ReasonField()}};
}

Json Item() {
  const std::string own = "a lead assessor acts only on items whose lead is its unit";
  return {
      {"type", kItemType},
      {"summary",
       "One special assessment (专项考核): the application, its review and decisions, "
       "its licence, filings and evaluations (docs/registry.md)"},
      {"instance_id", "registry/item/<id>, <id> a slug chosen at creation, e.g. 2026-food"},
      {"states", Names{"draft", "submitted", "returned", "approved", "licensed", "expired",
                       "retired", "withdrawn", "rejected", "merged"}},
      {"commands",
       std::vector<Json>{
           Cmd("create", "Apply for a special assessment (a draft)")
               .Roles({"lead_assessor"})
               .Who("the lead is the applicant's own unit")
               .Creates()
               .Payload(Obj(ApplicationFields(true), {"name"}, true)),
           Cmd("revise", "Change the application's fields (lead and year are fixed)")
               .Roles({"lead_assessor"})
               .Who(own)
               .States({"draft", "returned"})
               .Payload(Obj(ApplicationFields(false), {}, true)),
           Cmd("submit",
               "Submit the application: it needs name, basis and indicators (and a "
               "justification when one-off); the server attaches the duplicate review")
               .Roles({"lead_assessor"})
               .Who(own)
               .States({"draft", "returned"})
               .Payload(Obj({{"review", Any("set by the server (the registry service's duplicate "
                                            "review); one sent by a client is replaced")},
                             {"reason", ReasonField()}})),
           Cmd("withdraw", "Withdraw the application; it leaves the year's book")
               .Roles({"lead_assessor"})
               .Who(own)
               .States({"draft", "submitted", "returned"}),
           Cmd("return", "Return the application for revision, with the requests")
               .Roles({"office"})
               .States({"submitted"})
               .Reason(),
           Cmd("reject", "Reject the application; it leaves the year's book")
               .Roles({"office"})
               .States({"submitted", "returned"})
               .Reason(),
           Cmd("approve",
               "Approve within the year's quota (checked against the book in the same "
               "commit); a likely duplicate needs an override_reason")
               .Roles({"office"})
               .States({"submitted"})
               .Payload(Obj({{"override_reason", Str("why it is approved although the review "
                                                     "found a likely duplicate")},
                             {"reason", ReasonField()}})),
           Cmd("merge",
               "Absorb submitted or returned applications into this one: co-leads, "
               "assessed units and indicators are united; the absorbed ones close as "
               "merged")
               .Roles({"office"})
               .States({"submitted", "returned", "approved", "licensed"})
               .Payload(
                   Obj({{"absorb", Strings("the ids (short or registry/item/<id>) to merge in", 1)},
                        {"reason", ReasonField()}},
                       {"absorb"})),
           Cmd("license",
               "License one approved item (e.g. a one-off): a licence number and "
               "validity, the first filing, the expiry timer")
               .Roles({"committee"})
               .States({"approved"})
               .Payload(Obj(LicenceFields("a number of your own; default: the book's next"))),
           Cmd("renew", "Extend the licence (the number stays)")
               .Roles({"committee"})
               .States({"licensed", "expired"})
               .Payload(Obj({{"valid_to", Day("later than the current valid_to")},
                             {"valid_from", Day("not after valid_to")},
                             {"reason", ReasonField()}},
                            {"valid_to"})),
           Cmd("file", "File (备案) new indicators and scoring rules: a new filing version")
               .Roles({"lead_assessor", "office"})
               .Who(own)
               .States({"licensed"})
               .Payload(Obj({{"indicators", Strings("", 1)},
                             {"scoring_rules", Any("free form")},
                             {"reason", ReasonField()}},
                            {"indicators", "scoring_rules"})),
           Cmd("evaluate", "Record the yearly evaluation (绩效评估), once per year")
               .Roles({"office"})
               .States({"licensed", "expired"})
               .Payload(
                   Obj({{"rating", OneOf({"effective", "needs_improvement", "ineffective"})},
                        {"year", Json{{"type", "integer"}, {"description", "default: this year"}}},
                        {"findings", Any("free form, default \"\"")},
                        {"reason", ReasonField()}},
                       {"rating"})),
           Cmd("retire",
               "Retire the item (finished, ineffective, badly run, …); cancels the "
               "expiry timer")
               .Roles({"office"})
               .States({"licensed", "expired", "approved"})
               .Reason(),
           Cmd("expire",
               "The licence's validity has passed (the expiry timer, the day after "
               "valid_to; the office may send it too)")
               .Roles({"system", "office"})
               .States({"licensed"})
               .Timer()}}};
}

Json Book() {
  const Json import_item =
      Obj({{"name", NonEmptyStr()},
           {"lead", NonEmptyStr()},
           {"indicators", Strings("", 1)},
           {"id", Described({{"type", "string"}, {"pattern", "^[A-Za-z0-9._-]{1,64}$"}},
                            "default: <year>-<n>")},
           {"co_leads", Strings()},
           {"assessed_units", Strings()},
           {"basis", NonEmptyStr()},
           {"scoring_rules", Any("free form")},
           {"licence_number", NonEmptyStr()},
           {"valid_from", Day()},
           {"valid_to", Day()}},
          {"name", "lead", "indicators"});
  return {
      {"type", kBookType},
      {"summary",
       "The year's book of special assessments: quota (总量控制), licence format and "
       "numbers, one entry per item counting against the year"},
      {"instance_id", "registry/book/<year>"},
      {"states", Names{"open"}},
      {"commands",
       std::vector<Json>{
           Cmd("configure", "Set the year's quota and licence-number format")
               .Roles({"admin", "office"})
               .Creates()
               .States({"open"})
               .Payload(Obj(
                   {{"quota", Obj({{"overall", Json{{"type", Names{"integer", "null"}},
                                                    {"description", "null: no overall cap"}}},
                                   {"per_lead", Json{{"type", "integer"}}},
                                   {"per_lead_overrides",
                                    Json{{"type", "object"},
                                         {"additionalProperties", {{"type", "integer"}}},
                                         {"description", "lead → its own cap"}}}})},
                    {"licence_format", Str("must contain {seq}; {year} is replaced too, "
                                           "e.g. 专考〔{year}〕{seq}号")},
                    {"reason", ReasonField()}},
                   {}, true)),
           Cmd("import",
               "Adopt the licensed items an office already runs, all in one commit "
               "(not counted against the quota's refusal)")
               .Roles({"admin", "office"})
               .Creates()
               .States({"open"})
               .Payload(Obj(
                   {{"items",
                     Described({{"type", "array"}, {"items", import_item}, {"minItems", 1}}, "")},
                    {"valid_from", Day("default for items without one")},
                    {"valid_to", Day("default for items without one")},
                    {"licence_number", Str("default for items without one")},
                    {"units",
                     NonEmptyStr("a unit directory (e.g. units/guangxi): leads and co-leads "
                                 "named as its units are (full name, short name or id) are "
                                 "stored as their unit ids, so that a department's "
                                 "applications and imported items count as one")},
                    {"reason", ReasonField()}},
                   {"items"})),
           Cmd("approve_plan",
               "The committee approves the yearly plan: every approved item of the "
               "year is licensed at once")
               .Roles({"committee"})
               .States({"open"})
               .Payload(Obj(LicenceFields("rarely useful here: numbers must differ")))}}};
}

}  // namespace

const Json& RegistryCommandCatalog() {
  static const Json kCatalog = Json::array({Book(), Item()});
  return kCatalog;
}

}  // namespace govassess::registry
