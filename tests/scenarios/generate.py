#!/usr/bin/env python3
"""Writes the scenario files of tests/scenarios/ (the JSON files are committed; rerun
this after changing it: python3 tests/scenarios/generate.py). Format: docs/scenarios.md.

The scenarios use the shipped 2026 cycles moved back one year (2025, results in 2026),
because the shipped calendar (calendars/cn.json) covers 2007-2026 and the results and
appeal windows of a 2026 cycle fall in 2027. The National Day appeal scenario uses a
2024 cycle whose results date is 2025-09-26, the Friday before National Day 2025."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return json.load(f)


def shifted(rel, back=1):
    text = open(os.path.join(ROOT, rel), encoding="utf-8").read()
    for y in (2026, 2027):
        text = text.replace(str(y), str(y - back))
    return json.loads(text)


UNITS = load("workflows/data/units-guangxi.json")
CITIES = [u["id"] for u in UNITS["units"] if u.get("category_id") == "cities"]
PARTIES = [u["id"] for u in UNITS["units"] if u.get("category_id") == "democratic_parties"]

OFFICE = {"user": "zhang.office", "role": "office"}
LEADER = {"user": "li.leader", "role": "leader"}
COMMITTEE = {"user": "committee", "role": "committee"}
ADMIN = {"user": "root", "role": "admin"}
LEAD = {"user": "tongji.ju", "role": "lead_assessor", "unit": "gx-statistics"}


def unit_actor(u):
    return {"user": u + ".staff", "role": "unit", "unit": u}


def weights(config, category):
    cat = next(c for c in config["categories"] if c["id"] == category)
    if cat.get("target_type_weights"):
        return cat["target_type_weights"]
    return {t["id"]: t["weight"] for t in config["target_types"]}


def plan(unit, category, config):
    tts = []
    for tt, w in weights(config, category).items():
        pts = w * config["grade_rules"]["max_score"] / 100
        leaf = {"id": tt + ".1.1.1.1", "name": tt + "主要指标", "weight": pts,
                "target": "完成年度目标任务", "lead_assessor": "gx-statistics"}
        tts.append({"id": tt, "name": tt, "children": [
            {"id": tt + ".1", "name": tt + "一级", "children": [
                {"id": tt + ".1.1", "name": tt + "二级", "children": [
                    {"id": tt + ".1.1.1", "name": tt + "三级", "children": [leaf]}]}]}]})
    return {"year": config["year"], "unit_id": unit, "category_id": category, "target_types": tts}


def report(unit, category, config, *more_evidence):
    """A self-assessment on every indicator of plan(unit, category, config), each
    completed with its evidence (docs/lifecycle.md, "Self-assessment reports")."""
    leaves = [tt + ".1.1.1.1" for tt in weights(config, category)]
    evidence = ["年度统计公报", *more_evidence]
    return {"report": {leaf: {"completed": True, "evidence": list(evidence)} for leaf in leaves}}


def scores(config, category, total):
    """Raw scores giving `total`: every type but functional at 90%, functional the rest."""
    w = weights(config, category)
    entries, rest = [], total
    for tt, pct in w.items():
        if tt == "functional":
            continue
        pts = pct * 10
        if tt == "special":
            entries.append({"target_type": tt, "registry_item": SPECIAL_ITEM, "indicators": [
                {"indicator_id": tt + ".1.1.1.1", "points": round(pts * 0.9, 2)}]})
        else:
            entries.append({"target_type": tt, "raw_score": 90, "raw_max": 100})
        rest -= pts * 0.9
    fmax = w["functional"] * 10
    entries.insert(0, {"target_type": "functional", "raw_score": round(rest, 2), "raw_max": fmax})
    return entries


def cmd(at, actor, command, instance, payload=None, reason="", expect=None, typ=None, label=None):
    s = {"at": at, "actor": actor, "command": command, "instance": instance}
    if typ:
        s["type"] = typ
    if payload:
        s["payload"] = payload
    if reason:
        s["reason"] = reason
    s["expect"] = expect if expect is not None else {"accepted": True}
    if label:
        s["label"] = label
    return s


def planned(names):
    """The expectations on a notices instance whose pending timers were `names` when each
    reminder had its own timer, in due order: a deadline's reminders are now one timer (a
    chain named after the next of them, listing the rest), so "timers" holds the first of
    each step's (and every event notice) and "reminders" every reminder still planned."""
    heads, steps = [], set()
    for n in names:
        step = n.split("/")[0]
        if step == "event":
            heads.append(n)
        elif step not in steps:
            steps.add(step)
            heads.append(n)
    return {"timers": heads, "reminders": [n for n in names if not n.startswith("event/")]}


def setup(cycle_id, config):
    return [
        cmd("2025-01-02T09:00+08:00", ADMIN, "create", "units/guangxi",
            {"directory": {"$file": "workflows/data/units-guangxi.json"}}, typ="units"),
        cmd("2025-01-02T09:05+08:00", OFFICE, "create", cycle_id,
            {"config": config, "units": "units/guangxi"}, typ="cycle",
            expect={"accepted": True, "state": "open"}),
        import_special_item("2025-01-02T09:10+08:00"),
    ]


def import_special_item(at):
    """The special assessment whose results the special target type is scored from (no
    licence, no assessment), its lead named as the office's list names it and stored as
    the directory's unit id, the plans' lead assessor."""
    return cmd(at, OFFICE, "import", f"registry/book/{at[:4]}",
               {"items": [{"id": "business-environment", "name": "优化营商环境专项考核",
                           "lead": "自治区统计局", "indicators": ["营商环境评价指标得分"],
                           "valid_from": "2024-01-01", "valid_to": "2027-12-31"}],
                "units": "units/guangxi"},
               typ="registry_book",
               expect={"accepted": True, "state": "open",
                       "result": {"leads": {"resolved": {"自治区统计局": "gx-statistics"}}}})


SPECIAL_ITEM = "registry/item/business-environment"


def to_execution(lc, unit, category, config, y):
    return [
        cmd(f"{y}-03-03T09:00+08:00", OFFICE, "create", lc, typ="lifecycle",
            expect={"accepted": True, "state": "drafting", "version": 1}),
        cmd(f"{y}-04-10T10:00+08:00", unit_actor(unit), "submit", lc,
            {"plan": plan(unit, category, config)}, expect={"accepted": True, "state": "submitted"}),
        cmd(f"{y}-04-15T10:00+08:00", OFFICE, "office_agree", lc, expect={"accepted": True, "state": "reviewed"}),
        cmd(f"{y}-04-20T10:00+08:00", LEADER, "approve", lc, reason="同意印发",
            expect={"accepted": True, "state": "approved", "result": {"plan_version": 1}}),
        cmd(f"{y}-04-22T10:00+08:00", OFFICE, "issue", lc, expect={"accepted": True, "state": "in_execution"}),
    ]


def to_scored(lc, unit, category, config, total, y, y1):
    return [
        cmd(f"{y}-12-20T10:00+08:00", OFFICE, "open_self_assessment", lc,
            expect={"accepted": True, "state": "self_assessing"}),
        cmd(f"{y1}-01-08T10:00+08:00", unit_actor(unit), "submit_self_assessment", lc,
            report(unit, category, config),
            expect={"accepted": True, "state": "auditing"}),
        cmd(f"{y1}-01-18T10:00+08:00", LEAD, "record_scores", lc,
            {"target_types": scores(config, category, total)}),
        cmd(f"{y1}-03-10T10:00+08:00", OFFICE, "finish_audit", lc,
            expect={"accepted": True, "state": "scored", "result": {"total": total}}),
    ]


def write(name, scenario):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False, indent=1)
        f.write("\n")


# ----------------------------------------------------------------------------------
# A running server sends a window's reminders while the window is open; one that is
# first advanced past the window's end refuses them (a reminder of a closed window is not
# sent), and how many such refusals there are would depend on the timers' order.
ADJUSTMENT_WINDOW_OPEN = {"advance_to": "2025-11-28T10:00+08:00",
                          "label": "a running server sends the adjustment window's reminders while it is open"}
APPEAL_LAST_DAY = "a running server sends the appeal windows' reminders on their last day"


def full_year_cities():
    config = shifted("workflows/data/cycle-2026-city.json")
    steps = setup("cycle/2025/city", config)
    # Totals chosen for the grading edge cases: a tie on the first/second boundary
    # (ranks 6 and 6 both first), affirmation and downgrade together, 800 line.
    totals = dict(zip(CITIES, [950, 940, 930, 920, 910, 900, 900, 890, 880, 870, 860, 850, 799.5, 790]))
    for u in CITIES:
        steps += to_execution(f"lifecycle/2025/city/{u}", u, "cities", config, 2025)
    steps.append(ADJUSTMENT_WINDOW_OPEN)
    for u in CITIES:
        steps += to_scored(f"lifecycle/2025/city/{u}", u, "cities", config, totals[u], 2025, 2026)
    for u in CITIES:
        steps.append(cmd("2026-03-16T10:00+08:00", OFFICE, "publish", f"lifecycle/2025/city/{u}",
                         expect={"accepted": True, "state": "published",
                                 "result": {"appeal_window_closes": "2026-03-23"}}))
    steps.append({"advance_to": "2026-03-23T10:00+08:00", "label": APPEAL_LAST_DAY})
    steps.append({"advance_to": "2026-03-24T00:00:01+08:00", "label": "appeal windows close"})
    for u in CITIES:
        steps.append({"expect_instance": {"id": f"lifecycle/2025/city/{u}",
                                          "state": "ready_for_ratification",
                                          "timers": ["ratification_due"]}})
    c = CITIES
    steps += [
        cmd("2026-03-25T10:00+08:00", COMMITTEE, "record_override", "cycle/2025/city",
            {"kind": "affirmation", "unit": c[7], "approver": "绩效考评领导小组"}, "重大创新经专门程序认定"),
        cmd("2026-03-25T10:01+08:00", OFFICE, "record_override", "cycle/2025/city",
            {"kind": "downgrade", "unit": c[7], "area": "安全生产", "approver": "绩效考评领导小组"},
            "发生较大生产安全事故"),
        cmd("2026-03-25T10:02+08:00", OFFICE, "record_override", "cycle/2025/city",
            {"kind": "downgrade", "unit": c[0], "area": "生态环境保护", "approver": "绩效考评领导小组"},
            "中央环保督察通报"),
        cmd("2026-03-25T10:03+08:00", OFFICE, "record_override", "cycle/2025/city",
            {"kind": "downgrade", "unit": c[1], "area": "交通拥堵", "approver": "x"}, "not a listed area",
            expect={"accepted": False, "reason_contains": "payload.area"}),
        cmd("2026-03-26T10:00+08:00", OFFICE, "grade", "cycle/2025/city", {"category": "cities"}),
        {"expect_grades": {"cycle": "cycle/2025/city", "grades": {
            c[0]: "second",   # rank 1, downgraded
            c[1]: "first", c[2]: "first", c[3]: "first", c[4]: "first",
            c[5]: "first", c[6]: "first",   # tied at rank 6: both first
            c[7]: "second",   # rank 8 second, affirmed → first, downgraded → second
            c[8]: "second", c[9]: "second", c[10]: "second",
            c[11]: "third",   # rank 12
            c[12]: "fail",    # 799.5 < 800
            c[13]: "fail"}}},
    ]
    for u in CITIES:
        lc = f"lifecycle/2025/city/{u}"
        steps.append(cmd("2026-04-10T10:00+08:00", COMMITTEE, "ratify", lc, reason="常委会审定",
                         expect={"accepted": True, "state": "ratified"}))
        steps.append(cmd("2026-04-20T10:00+08:00", OFFICE, "archive", lc,
                         expect={"accepted": True, "state": "archived"}))
    steps.append({"expect_journal": {"refusals": 1, "verifies": True}})
    write("full_year_cities.json", {
        "name": "full year, 14 cities (2025 cycle), with grading edge cases",
        "description": "Every city from plan to archive; grades with a tie on the first/second "
                       "boundary, a total under 800, affirmation and downgrade together.",
        "steps": steps})


def full_year_department():
    config = shifted("workflows/data/cycle-2026-department.json")
    steps = setup("cycle/2025/department", config)
    # 7 democratic parties: 3 first places by rank, but the 3rd total is under 800.
    totals = dict(zip(PARTIES, [930, 905.25, 799.99, 790, 780, 770, 760]))
    for u in PARTIES:
        steps += to_execution(f"lifecycle/2025/department/{u}", u, "democratic_parties", config, 2025)
    steps.append(ADJUSTMENT_WINDOW_OPEN)
    for u in PARTIES:
        steps += to_scored(f"lifecycle/2025/department/{u}", u, "democratic_parties", config,
                           totals[u], 2025, 2026)
        steps.append(cmd("2026-03-13T10:00+08:00", OFFICE, "publish", f"lifecycle/2025/department/{u}",
                         expect={"accepted": True, "state": "published",
                                 "result": {"appeal_window_closes": "2026-03-20"}}))
    steps.append({"advance_to": "2026-03-20T10:00+08:00", "label": APPEAL_LAST_DAY})
    steps.append({"advance_to": "2026-03-21T09:00+08:00"})
    steps.append(cmd("2026-03-23T10:00+08:00", OFFICE, "grade", "cycle/2025/department",
                     {"category": "democratic_parties"}))
    steps.append({"expect_grades": {"cycle": "cycle/2025/department", "grades": {
        PARTIES[0]: "first", PARTIES[1]: "first",
        PARTIES[2]: "fail",  # rank 3 is inside the top 40% (3 places) but 799.99 < 800
        PARTIES[3]: "fail", PARTIES[4]: "fail", PARTIES[5]: "fail", PARTIES[6]: "fail"}}})
    for u in PARTIES:
        lc = f"lifecycle/2025/department/{u}"
        steps.append(cmd("2026-04-10T10:00+08:00", COMMITTEE, "ratify", lc,
                         expect={"accepted": True, "state": "ratified"}))
        steps.append(cmd("2026-04-20T10:00+08:00", OFFICE, "archive", lc,
                         expect={"accepted": True, "state": "archived"}))
    steps.append({"expect_journal": {"refusals": 0, "verifies": True}})
    write("full_year_department.json", {
        "name": "full year, department category democratic_parties (2025 cycle)",
        "steps": steps})


def LATE_PLAN(done_on, working_days_late, overdue_since="2025-05-01"):
    """data.late_steps entry of a plan submitted after plan_due 2025-04-30 (the timer
    marks it overdue at 24:00, i.e. on 2025-05-01)."""
    return {"step": "plan_due", "deadline": "2025-04-30", "done_on": done_on,
            "working_days_late": working_days_late, "overdue_since": overdue_since}


def return_for_revision():
    config = shifted("workflows/data/cycle-2026-city.json")
    lc, u = "lifecycle/2025/city/gx-wuzhou", "gx-wuzhou"
    p = plan(u, "cities", config)
    steps = setup("cycle/2025/city", config) + [
        cmd("2025-03-03T09:00+08:00", OFFICE, "create", lc, typ="lifecycle"),
        cmd("2025-04-08T10:00+08:00", unit_actor(u), "submit", lc, {"plan": p},
            expect={"accepted": True, "state": "submitted"}),
        cmd("2025-04-09T10:00+08:00", OFFICE, "return", lc,
            expect={"accepted": False, "reason_contains": "needs a reason"}),
        cmd("2025-04-09T10:05+08:00", unit_actor("gx-liuzhou"), "return", lc, reason="x",
            expect={"accepted": False, "code": "forbidden", "reason_contains": "its own assessment"}),
        cmd("2025-04-09T10:10+08:00", OFFICE, "return", lc, reason="GDP增速目标低于自治区下达目标",
            expect={"accepted": True, "state": "returned"}),
        cmd("2025-04-09T10:20+08:00", LEADER, "approve", lc,
            expect={"accepted": False, "reason_contains": "cannot approve while returned; allowed now: submit (unit)"}),
        cmd("2025-04-12T10:00+08:00", unit_actor(u), "submit", lc, {"plan": p},
            expect={"accepted": True, "state": "submitted"}),
        cmd("2025-04-14T10:00+08:00", OFFICE, "office_agree", lc, expect={"accepted": True, "state": "reviewed"}),
        cmd("2025-04-15T10:00+08:00", LEADER, "return", lc, reason="重点任务缺失",
            expect={"accepted": True, "state": "returned"}),
        cmd("2025-05-06T10:00+08:00", unit_actor(u), "submit", lc, {"plan": p},
            expect={"accepted": True, "state": "submitted"}),
        # Resubmitted after plan_due: no longer overdue (the plan is with the office),
        # but the lateness stays on record: overdue since 05-01, when its timer fired.
        {"expect_instance": {"id": lc, "data": {"overdue": [], "late_steps": [LATE_PLAN("2025-05-06", 1)]},
                             "timers": []}},
        cmd("2025-05-07T10:00+08:00", OFFICE, "office_agree", lc),
        cmd("2025-05-08T10:00+08:00", OFFICE, "approve", lc,
            expect={"accepted": False, "code": "forbidden", "reason_contains": "only the leader in charge may approve"}),
        cmd("2025-05-08T11:00+08:00", LEADER, "approve", lc, reason="同意",
            expect={"accepted": True, "state": "approved"}),
        {"expect_instance": {"id": lc, "data": {"overdue": [], "plan_version": 1,
                                                  "late_steps": [LATE_PLAN("2025-05-06", 1)],
                                                  "returns": [{"role": "office"}, {"role": "leader"}]}}},
        {"expect_journal": {"entity": lc, "refusals": 4}},
    ]
    write("return_for_revision.json", {"name": "plan returned for revision twice", "steps": steps})


def plan_reminders():
    """plan_due 2025-04-30 (Wednesday); May Day 05-01..05 off; Sunday 04-27 is a make-up
    working day. The unit's reminders: before-5 04-24, before-3 04-27, before-1 04-29,
    due 04-30, escalation-1 05-06 (09:00). The office's review reminders (plan_review,
    against the same date): before-3 04-27, before-1 04-29, due 04-30."""
    config = shifted("workflows/data/cycle-2026-city.json")
    nn, lz, gl, bh = "gx-nanning", "gx-liuzhou", "gx-guilin", "gx-beihai"
    lc = {u: f"lifecycle/2025/city/{u}" for u in (nn, lz, gl, bh)}
    no = {u: f"notices/2025/city/{u}" for u in (nn, lz, gl, bh)}
    unit_plan_due = ["plan_due/before-5", "plan_due/before-3", "plan_due/before-1", "plan_due/due",
                     "plan_due/escalation-1"]
    review = ["plan_review/before-3", "plan_review/before-1", "plan_review/due"]

    def returned(reason, overdue):
        """The notice of a return, as recorded on the unit's notices."""
        return [{"kind": "event", "event": "returned", "reason": reason, "deadline": "2025-04-30",
                 "audience": "unit", "details": {"plan_due": "2025-04-30", "overdue": overdue}}]

    def sent(step, *reminders, audience=None):
        # Each on time: the runner lives through the days between steps, firing every
        # timer at its own instant, as a running server does (only a down time is late).
        out = []
        for r in reminders:
            e = {"step": step, "reminder": r, "deadline": "2025-04-30", "late": False}
            if audience:
                e["audience"] = audience
            out.append(e)
        return out

    steps = setup("cycle/2025/city", config)
    for u in (nn, lz, gl, bh):
        steps.append(cmd("2025-03-03T09:00+08:00", OFFICE, "create", lc[u], typ="lifecycle"))
    steps += [
        {"expect_instance": {"id": no[nn], **planned(unit_plan_due)}},
        {"expect_instance": {"id": lc[nn], "timers": ["plan_due"]}},
        # Nanning submits on time: its plan reminders and overdue timer go; the office is
        # reminded of its review instead.
        cmd("2025-04-10T10:00+08:00", unit_actor(nn), "submit", lc[nn], {"plan": plan(nn, "cities", config)},
            expect={"accepted": True, "state": "submitted"}, label="submitted before plan_due"),
        {"expect_instance": {"id": lc[nn], "timers": [], "data": {"submitted_on": "2025-04-10"}}},
        {"expect_instance": {"id": no[nn], **planned(review)}},
        # Liuzhou submits too; its plan comes back on 04-22, in time for the reminders
        # from 04-24 on.
        cmd("2025-04-10T10:05+08:00", unit_actor(lz), "submit", lc[lz], {"plan": plan(lz, "cities", config)}),
        cmd("2025-04-22T10:00+08:00", OFFICE, "return", lc[lz], reason="重点任务指标缺失",
            expect={"accepted": True, "state": "returned"}, label="returned before plan_due"),
        {"expect_instance": {"id": lc[lz], "timers": ["plan_due"]}},
        # The unit is told of the return at once (a timer due now, fired on the next
        # round; event_notices.json follows such notices to the inboxes).
        {"expect_instance": {"id": no[lz], **planned(["event/3-returned"] + unit_plan_due)}},
        {"advance_to": "2025-04-23T10:00+08:00"},
        # Beihai submits after its first reminder.
        cmd("2025-04-25T10:00+08:00", unit_actor(bh), "submit", lc[bh], {"plan": plan(bh, "cities", config)}),
        {"advance_to": "2025-04-28T09:30+08:00"},
        {"expect_instance": {"id": no[lz], "data": {"entries":
            returned("重点任务指标缺失", False) + sent("plan_due", "before-5", "before-3")}}},
        cmd("2025-04-28T10:00+08:00", unit_actor(lz), "submit", lc[lz], {"plan": plan(lz, "cities", config)},
            expect={"accepted": True, "state": "submitted"}, label="resubmitted before plan_due"),
        # Only the review reminders still ahead (before-3 fell on 04-27).
        {"expect_instance": {"id": no[lz], **planned(["plan_review/before-1", "plan_review/due"])}},
        cmd("2025-04-29T15:00+08:00", OFFICE, "office_agree", lc[nn], expect={"accepted": True, "state": "reviewed"}),
        {"advance_to": "2025-05-01T00:00:30+08:00", "label": "plan_due has passed"},
        {"advance_to": "2025-05-07T09:00+08:00", "label": "past the escalation of plan_due"},
        # Nanning got no plan reminder at all; the office got its three review reminders.
        {"expect_instance": {"id": no[nn], "timers": [],
                             "data": {"entries": sent("plan_review", "before-3", "before-1", "due",
                                                      audience="office")}}},
        {"expect_instance": {"id": lc[nn], "state": "reviewed", "data": {"overdue": []}}},
        {"expect_instance": {"id": no[lz], "timers": [], "data": {"entries":
            returned("重点任务指标缺失", False) + sent("plan_due", "before-5", "before-3") +
            sent("plan_review", "before-1", "due", audience="office")}}},
        {"expect_instance": {"id": lc[lz], "data": {"overdue": []}}},
        # Guilin never submitted: every reminder, the overdue mark and the escalation.
        {"expect_instance": {"id": no[gl], "timers": [], "data": {"entries":
            sent("plan_due", "before-5", "before-3", "before-1", "due", "escalation-1")}}},
        {"expect_instance": {"id": lc[gl], "data": {"overdue": ["plan_due"]}}},
        cmd("2025-05-07T10:00+08:00", unit_actor(gl), "submit", lc[gl], {"plan": plan(gl, "cities", config)},
            label="submitted late"),
        # No longer overdue while the office has it, but the lateness is on record.
        {"expect_instance": {"id": lc[gl], "timers": [], "data": {
            "overdue": [], "late_steps": [LATE_PLAN("2025-05-07", 2)]}}},
        {"expect_instance": {"id": no[gl], "timers": []}},
        # Beihai's plan comes back after plan_due: overdue at once, and no escalation for
        # the days the plan was with the office (escalation-1 fell on 05-06).
        cmd("2025-05-07T11:00+08:00", OFFICE, "return", lc[bh], reason="指标权重不符合要求",
            label="returned after plan_due"),
        {"expect_instance": {"id": lc[bh], "timers": [], "data": {
            "overdue": ["plan_due"], "overdue_since": {"plan_due": "2025-05-07"}}}},
        # No reminder is pending, only the notice of the return itself (due at once).
        {"expect_instance": {"id": no[bh], "timers": ["event/3-returned"], "data": {"entries":
            sent("plan_due", "before-5") +
            sent("plan_review", "before-3", "before-1", "due", audience="office")}}},
        cmd("2025-05-08T10:00+08:00", unit_actor(bh), "submit", lc[bh], {"plan": plan(bh, "cities", config)}),
        # The return's notice went out when the server's next round came (before the
        # submission): it says plan_due has passed.
        {"expect_instance": {"id": no[bh], "timers": [], "data": {"entries":
            sent("plan_due", "before-5") +
            sent("plan_review", "before-3", "before-1", "due", audience="office") +
            returned("指标权重不符合要求", True)}}},
        {"expect_instance": {"id": lc[bh], "data": {
            "overdue": [], "late_steps": [LATE_PLAN("2025-05-08", 3, overdue_since="2025-05-07")]}}},
        # Approval ends the office's review; no reminder is left pending for Nanning, only
        # the notice of the approval itself.
        cmd("2025-05-08T11:00+08:00", LEADER, "approve", lc[nn], reason="同意印发",
            expect={"accepted": True, "state": "approved"}),
        {"expect_instance": {"id": no[nn], "timers": ["event/4-plan_approved"]}},
        {"expect_instance": {"id": lc[nn], "timers": []}},
        {"expect_journal": {"command": "mark_overdue", "accepted": 1, "refusals": 0}},
        {"expect_journal": {"verifies": True}},
    ]
    write("plan_reminders.json", {
        "name": "plan reminders stop when the plan is submitted and come back when it is returned",
        "description": "A plan submitted on time gets no plan_due reminder and the office is "
                       "reminded of its review instead; a plan returned before plan_due gets its "
                       "reminders again; a late submission keeps its lateness on record; a plan "
                       "returned after plan_due is overdue at once without an escalation.",
        "steps": steps})


def adjustment_window():
    config = shifted("workflows/data/cycle-2026-city.json")
    u = "gx-guilin"
    lc = f"lifecycle/2025/city/{u}"
    change = {"operations": [{"op": "modify", "id": "functional.1.1.1.1", "target": "增速6.5%"}]}
    steps = setup("cycle/2025/city", config) + to_execution(lc, u, "cities", config, 2025) + [
        cmd("2025-11-19T10:00+08:00", unit_actor(u), "request_adjustment", lc, {"change": change},
            "受市场影响调整目标",
            expect={"accepted": False, "reason_contains":
                    "adjustments are filed 2025-11-20..2025-11-30 (cycle 2025 city); today is 2025-11-19"}),
        cmd("2025-11-21T10:00+08:00", unit_actor(u), "request_adjustment", lc, {"change": change},
            "受市场影响调整目标", expect={"accepted": True, "result": {"adjustment": "adj-1"}}),
        cmd("2025-11-21T11:00+08:00", OFFICE, "agree_adjustment", lc, {"adjustment": "adj-1"},
            expect={"accepted": False, "reason_contains": "needs it first_reviewed"}),
        cmd("2025-11-24T10:00+08:00", LEAD, "review_adjustment", lc, {"adjustment": "adj-1"}),
        cmd("2025-11-25T10:00+08:00", OFFICE, "agree_adjustment", lc, {"adjustment": "adj-1"}),
        cmd("2025-11-26T10:00+08:00", LEADER, "approve_adjustment", lc, {"adjustment": "adj-1"}),
        cmd("2025-11-27T10:00+08:00", OFFICE, "file_adjustment", lc, {"adjustment": "adj-1"},
            expect={"accepted": True, "state": "in_execution", "result": {"plan_version": 2}}),
        # A lead assessor's own request, approved too late: filing on 12-01 is refused.
        cmd("2025-11-28T10:00+08:00", LEAD, "request_adjustment", lc,
            {"change": {"operations": [{"op": "modify", "id": "functional.1.1.1.1", "target": "增速6%"}]}},
            "统计口径调整", expect={"accepted": True, "result": {"adjustment": "adj-2"}}),
        cmd("2025-11-28T11:00+08:00", OFFICE, "agree_adjustment", lc, {"adjustment": "adj-2"}),
        cmd("2025-11-28T15:00+08:00", LEADER, "approve_adjustment", lc, {"adjustment": "adj-2"}),
        cmd("2025-12-01T09:00+08:00", OFFICE, "file_adjustment", lc, {"adjustment": "adj-2"},
            expect={"accepted": False, "reason_contains":
                    "adjustments are filed 2025-11-20..2025-11-30 (cycle 2025 city); today is 2025-12-01"}),
        # A new major task: document received 2025-09-01, 30 working days → 2025-10-17.
        cmd("2025-12-02T09:00+08:00", unit_actor(u), "request_adjustment", lc,
            {"kind": "new_task", "document_received": "2025-09-01", "change": {"operations": [
                {"op": "modify", "id": "functional.1.1.1.1", "weight": 650},
                {"op": "add", "parent_id": "functional.1.1.1", "node": {
                    "id": "functional.1.1.1.2", "name": "新增重大任务", "weight": 50,
                    "target": "按期完成", "lead_assessor": "gx-statistics"}}]}},
            "自治区新部署重大任务",
            expect={"accepted": False, "reason_contains": "within 30 working days of receiving the document (received 2025-09-01, last day 2025-10-17)"}),
        cmd("2025-12-02T09:10+08:00", unit_actor(u), "request_adjustment", lc,
            {"kind": "new_task", "document_received": "2025-11-20", "change": {"operations": [
                {"op": "modify", "id": "functional.1.1.1.1", "weight": 650},
                {"op": "add", "parent_id": "functional.1.1.1", "node": {
                    "id": "functional.1.1.1.2", "name": "新增重大任务", "weight": 50,
                    "target": "按期完成", "lead_assessor": "gx-statistics"}}]}},
            "自治区新部署重大任务", expect={"accepted": True, "result": {"adjustment": "adj-3"}}),
        cmd("2025-12-03T09:00+08:00", LEAD, "review_adjustment", lc, {"adjustment": "adj-3"}),
        cmd("2025-12-04T09:00+08:00", OFFICE, "agree_adjustment", lc, {"adjustment": "adj-3"}),
        cmd("2025-12-05T09:00+08:00", LEADER, "approve_adjustment", lc, {"adjustment": "adj-3"}),
        cmd("2025-12-08T09:00+08:00", OFFICE, "file_adjustment", lc, {"adjustment": "adj-3"},
            expect={"accepted": True, "result": {"plan_version": 3}}),
        {"expect_instance": {"id": lc, "state": "in_execution", "data": {
            "plan_version": 3,
            "adjustments": [{"status": "filed", "plan_version": 2}, {"status": "approved"},
                            {"status": "filed", "plan_version": 3}]}}},
    ]
    write("adjustment_window.json", {"name": "indicator adjustments inside and outside the window",
                                     "steps": steps})


def appeal_national_day():
    # A 2024 cycle whose results date is 2025-09-26 (Friday before National Day 2025).
    config = shifted("workflows/data/cycle-2026-city.json", back=2)
    config["name"] = "测试用：2024年度设区市（结果于2025年国庆节前公布）"
    m = config["milestones"]
    m.update({"self_assessment_due": "2025-08-29", "lead_scoring_due": "2025-09-05",
              "onsite_verification_due": "2025-09-10", "external_scores_due": "2025-09-12",
              "results_due": "2025-09-26", "ratification_due": "2025-10-31"})
    steps = setup("cycle/2024/city", config)
    units = ["gx-beihai", "gx-qinzhou"]
    for i, u in enumerate(units):
        lc = f"lifecycle/2024/city/{u}"
        steps += [
            cmd("2025-01-02T10:00+08:00", OFFICE, "create", lc, typ="lifecycle"),
            cmd("2025-01-03T10:00+08:00", unit_actor(u), "submit", lc, {"plan": plan(u, "cities", config)}),
            cmd("2025-01-06T10:00+08:00", OFFICE, "office_agree", lc),
            cmd("2025-01-07T10:00+08:00", LEADER, "approve", lc, reason="同意"),
            cmd("2025-01-08T10:00+08:00", OFFICE, "issue", lc),
            cmd("2025-08-01T10:00+08:00", OFFICE, "open_self_assessment", lc),
            cmd("2025-08-20T10:00+08:00", unit_actor(u), "submit_self_assessment", lc,
                report(u, "cities", config)),
            cmd("2025-09-01T10:00+08:00", LEAD, "record_scores", lc,
                {"target_types": scores(config, "cities", 880 + i)}),
            cmd("2025-09-15T10:00+08:00", OFFICE, "finish_audit", lc),
            cmd("2025-09-26T10:00+08:00", OFFICE, "publish", lc,
                expect={"accepted": True, "state": "published",
                        "result": {"appeal_window_closes": "2025-10-10"}}),
        ]
    b, q = (f"lifecycle/2024/city/{u}" for u in units)
    steps += [
        cmd("2025-10-10T16:30+08:00", unit_actor("gx-beihai"), "appeal", b,
            {"evidence": ["2024年统计年鉴第3.2表"]}, "地区生产总值增速按初步核算数计分有误",
            expect={"accepted": True, "state": "appealed"}, label="5th working day"),
        cmd("2025-10-11T09:00+08:00", unit_actor("gx-qinzhou"), "appeal", q,
            {"evidence": ["说明材料"]}, "满意度调查样本不足",
            expect={"accepted": False, "reason_contains": "2025-10-10"}, label="6th working day (Saturday make-up day)"),
        {"expect_instance": {"id": q, "state": "ready_for_ratification"}},
        cmd("2025-10-13T10:00+08:00", OFFICE, "uphold_appeal", b,
            {"target_types": [{"target_type": "functional", "raw_score": 640, "raw_max": 700}]},
            "核实后按最终核算数重新计分", expect={"accepted": True, "state": "decided",
                                               "result": {"total": 910}}),
        cmd("2025-10-14T10:00+08:00", OFFICE, "republish", b, expect={"accepted": True, "state": "published"}),
        # The appeal right is used: the original window has passed, so the result moves
        # on at once (the runner fires due timers before each step, as a server would).
        cmd("2025-10-14T11:00+08:00", unit_actor("gx-beihai"), "appeal", b, {"evidence": ["x"]}, "再次申请",
            expect={"accepted": False, "reason_contains": "cannot appeal while ready_for_ratification"}),
        {"advance_to": "2025-10-14T12:00+08:00"},
        {"expect_instance": {"id": b, "state": "ready_for_ratification",
                             "data": {"total": 910, "appeal": {"decision": "upheld", "previous_total": 880}}}},
        {"expect_journal": {"command": "close_appeal_window", "accepted": 2, "refusals": 0}},
    ]
    write("appeal_national_day.json", {
        "name": "appeal on the 5th working day across National Day 2025 accepted, on the 6th refused",
        "description": "Result received Fri 2025-09-26; working days after: 09-28 (Sun, make-up), "
                       "09-29, 09-30, [10-01..10-08 holiday], 10-09 (4th), 10-10 (5th); 10-11 "
                       "(Sat, make-up) is the 6th.",
        "steps": steps})


def window_closes_while_down():
    config = shifted("workflows/data/cycle-2026-city.json")
    u = "gx-hezhou"
    lc = f"lifecycle/2025/city/{u}"
    steps = setup("cycle/2025/city", config) + to_execution(lc, u, "cities", config, 2025)
    steps += to_scored(lc, u, "cities", config, 900, 2025, 2026)
    steps += [
        cmd("2026-03-16T10:00+08:00", OFFICE, "publish", lc,
            expect={"accepted": True, "result": {"appeal_window_closes": "2026-03-23"}}),
        {"advance_to": "2026-03-23T23:59+08:00"},
        {"expect_instance": {"id": lc, "state": "published"}},
        {"down_until": "2026-03-30T08:00+08:00", "label": "server down across the window's end"},
        {"expect_instance": {"id": lc, "state": "ready_for_ratification", "timers": ["ratification_due"]}},
        {"restart": True},
        {"advance_to": "2026-04-02T10:00+08:00"},
        {"expect_journal": {"command": "close_appeal_window", "accepted": 1, "refusals": 0}},
        cmd("2026-04-02T10:00+08:00", unit_actor(u), "appeal", lc, {"evidence": ["x"]}, "too late",
            expect={"accepted": False, "reason_contains": "cannot appeal while ready_for_ratification"}),
        {"down_until": "2026-04-20T08:00+08:00", "label": "down past the ratification deadline"},
        {"expect_instance": {"id": lc, "state": "ready_for_ratification",
                             "data": {"overdue": ["ratification_due"]}, "timers": []}},
        {"expect_journal": {"verifies": True}},
    ]
    write("window_closes_while_down.json", {
        "name": "the appeal window closes while the server is down; it moves on exactly once",
        "steps": steps})


def event_notices():
    """What happens to an assessment is told at once, in the inbox and by mail: a plan
    returned (with the office's reason), approved and issued, a self-assessment sent back,
    a result published across National Day 2025 (received Mon 2025-09-29, appeal until
    Mon 2025-10-13: 09-30, [10-01..10-08 holiday], 10-09, 10-10, 10-11 (Sat, make-up),
    10-13), an appeal (to the office), its rejection and the new publication. Refused
    commands announce nothing; a notice fired while the server was down goes out once,
    late; a restart repeats nothing. The cycle turns every reminder off, so the notices
    are the events alone, numbered 0, 1, … (plan_reminders.json covers reminders)."""
    config = shifted("workflows/data/cycle-2026-city.json", back=2)
    config["name"] = "测试用：2024年度设区市（结果于2025年国庆节前公布）"
    config["milestones"].update({
        "self_assessment_due": "2025-01-10", "lead_scoring_due": "2025-01-20",
        "onsite_verification_due": "2025-01-25", "external_scores_due": "2025-02-28",
        "results_due": "2025-09-30", "ratification_due": "2025-10-31"})
    off = {"before_working_days": [], "on_the_day": False}
    config["reminders"] = {"default": dict(off, escalate_after_working_days=[]),
                           "kinds": {k: off for k in ("plan_review", "adjustment_window", "appeal_window")}}
    u = "gx-yulin"
    lc, no = f"lifecycle/2024/city/{u}", f"notices/2024/city/{u}"
    clerk, deputy, office_user = "yl-clerk", "yl-deputy", "office-wang"
    office = {"user": office_user, "role": "office"}

    def item(user, n, event):
        return f"inbox/{user}/2024/city/{u}/{n}-event-{event}"

    def mail(user, n, event):
        return f"delivery/email/{user}/2024/city/{u}/{n}-event-{event}"

    def notice(event, **facts):
        return dict({"kind": "event", "event": event}, **facts)

    steps = [
        cmd("2024-03-01T09:00+08:00", ADMIN, "create", "units/guangxi",
            {"directory": {"$file": "workflows/data/units-guangxi.json"}}, typ="units"),
        cmd("2024-03-01T09:05+08:00", office, "create", "cycle/2024/city",
            {"config": config, "units": "units/guangxi"}, typ="cycle", expect={"accepted": True, "state": "open"}),
        import_special_item("2024-03-01T09:06+08:00"),
        # Yulin's clerk has a mail address; the deputy reads English and has none.
        cmd("2024-03-01T09:10+08:00", ADMIN, "create", f"user/{clerk}",
            {"username": clerk, "role": "unit", "unit": u, "email": "clerk@yulin.gov.cn"}, typ="user"),
        cmd("2024-03-01T09:11+08:00", ADMIN, "create", f"user/{deputy}",
            {"username": deputy, "role": "unit", "unit": u, "language": "en"}, typ="user"),
        cmd("2024-03-01T09:12+08:00", ADMIN, "create", f"user/{office_user}",
            {"username": office_user, "role": "office", "email": "pmo@gxjxb.gov.cn"}, typ="user"),
        cmd("2024-03-01T09:15+08:00", ADMIN, "configure", "directory/notify",
            {"email": True, "webhooks": [{"name": "oa", "units": [u]}]}, typ="directory"),
        cmd("2024-03-04T09:00+08:00", office, "create", lc, typ="lifecycle"),
        cmd("2024-04-08T10:00+08:00", unit_actor(u), "submit", lc, {"plan": plan(u, "cities", config)}),
        {"expect_instance": {"id": no, "timers": []}, "label": "creating and submitting announce nothing"},
        cmd("2024-04-10T10:00+08:00", office, "return", lc, reason="重点任务指标缺失",
            expect={"accepted": True, "state": "returned", "version": 3}),
        {"expect_instance": {"id": no, "timers": ["event/3-returned"]},
         "label": "the return sets its notice in the same commit"},
        {"advance_to": "2024-04-10T10:00:01+08:00"},
        {"expect_instance": {"id": no, "timers": [], "data": {"entries": [
            notice("returned", reason="重点任务指标缺失", deadline="2024-04-30", audience="unit", late=False,
                   actor_role="office", recipients=[clerk, deputy], details={"overdue": False})]}}},
        {"expect_instance": {"id": item(clerk, 0, "returned"), "state": "unread", "data": {
            "urgency": "urgent", "audience": "unit",
            "facts": {"event": "returned", "reason": "重点任务指标缺失", "deadline": "2024-04-30"}}}},
        {"expect_instance": {"id": item(deputy, 0, "returned"), "state": "unread"}},
        {"expect_instance": {"id": mail(clerk, 0, "returned"), "state": "pending",
                             "data": {"to": "clerk@yulin.gov.cn", "language": "zh-CN"}},
         "label": "a mail to the clerk, who has an address"},
        {"expect_instance": {"id": mail(deputy, 0, "returned"), "exists": False}},
        {"expect_instance": {"id": item(office_user, 0, "returned"), "exists": False},
         "label": "the office returned it and is not told"},
        {"expect_instance": {"id": f"delivery/webhook/oa/2024/city/{u}/0-event-returned", "state": "pending"}},
        cmd("2024-04-11T10:00+08:00", LEADER, "approve", lc, reason="同意",
            expect={"accepted": False, "reason_contains": "cannot approve while returned"}),
        cmd("2024-04-11T10:05+08:00", unit_actor("gx-beihai"), "submit", lc,
            expect={"accepted": False, "code": "forbidden"}),
        {"expect_instance": {"id": no, "timers": []}, "label": "refused commands announce nothing"},
        cmd("2024-04-15T10:00+08:00", unit_actor(u), "submit", lc),
        cmd("2024-04-16T10:00+08:00", office, "office_agree", lc),
        # A running server's timer loop fires each notice within a second; so does the
        # runner, which lives through the time up to each step firing every timer at its
        # own instant (the second after each announcement is where the notice goes out).
        cmd("2024-04-17T10:00+08:00", LEADER, "approve", lc, reason="同意印发",
            expect={"accepted": True, "state": "approved"}),
        {"advance_to": "2024-04-17T10:00:01+08:00"},
        cmd("2024-04-18T10:00+08:00", office, "issue", lc, expect={"accepted": True, "state": "in_execution"}),
        {"advance_to": "2024-04-18T10:00:01+08:00"},
        cmd("2024-12-20T10:00+08:00", office, "open_self_assessment", lc),
        {"expect_instance": {"id": item(clerk, 1, "plan_approved"), "data": {
            "urgency": "upcoming", "facts": {"actor_role": "leader", "details": {"plan_version": 1}}}}},
        {"expect_instance": {"id": item(clerk, 2, "plan_issued"), "data": {
            "facts": {"details": {"adjustment_from": "2024-11-20", "adjustment_to": "2024-11-30"}}}}},
        cmd("2025-01-08T10:00+08:00", unit_actor(u), "submit_self_assessment", lc,
            report(u, "cities", config)),
        cmd("2025-01-10T10:00+08:00", office, "send_back", lc, {"items": ["functional.1.1.1.1"]},
            "佐证材料不全", expect={"accepted": True, "state": "self_assessing"}),
        {"advance_to": "2025-01-10T10:00:01+08:00"},
        cmd("2025-01-13T10:00+08:00", unit_actor(u), "submit_self_assessment", lc,
            report(u, "cities", config, "补充说明")),
        {"expect_instance": {"id": item(clerk, 3, "sent_back"), "data": {
            "urgency": "urgent",
            "facts": {"reason": "佐证材料不全", "details": {"items": ["functional.1.1.1.1"]}}}}},
        cmd("2025-01-18T10:00+08:00", LEAD, "record_scores", lc, {"target_types": scores(config, "cities", 912.5)}),
        cmd("2025-03-10T10:00+08:00", office, "finish_audit", lc,
            expect={"accepted": True, "state": "scored", "result": {"total": 912.5}}),
        cmd("2025-09-29T10:00+08:00", office, "publish", lc,
            expect={"accepted": True, "state": "published", "result": {"appeal_window_closes": "2025-10-13"}},
            label="published on the Monday before National Day"),
        {"advance_to": "2025-09-29T10:00:01+08:00"},
        {"expect_instance": {"id": item(clerk, 4, "published"), "state": "unread", "data": {
            "urgency": "urgent",
            "facts": {"deadline": "2025-10-13", "details": {
                "total": 912.5, "received": "2025-09-29", "appeal_deadline": "2025-10-13",
                "appeal_working_days": 5}}}},
         "label": "the unit has its total and its appeal deadline after the holiday at once"},
        {"expect_instance": {"id": mail(clerk, 4, "published"), "state": "pending"}},
        cmd("2025-10-13T16:00+08:00", unit_actor(u), "appeal", lc, {"evidence": ["2024年统计年鉴第3.2表"]},
            "地区生产总值增速按初步核算数计分有误", expect={"accepted": True, "state": "appealed"},
            label="the announced last day, the 5th working day"),
        {"advance_to": "2025-10-13T16:00:01+08:00"},
        {"expect_instance": {"id": item(office_user, 5, "appeal_lodged"), "state": "unread", "data": {
            "urgency": "urgent", "audience": "office",
            "facts": {"reason": "地区生产总值增速按初步核算数计分有误", "details": {"evidence": 1}}}},
         "label": "the office must decide the appeal"},
        {"expect_instance": {"id": mail(office_user, 5, "appeal_lodged"), "state": "pending"}},
        {"expect_instance": {"id": item(clerk, 5, "appeal_lodged"), "exists": False}},
        cmd("2025-10-14T09:00+08:00", office, "reject_appeal", lc,
            expect={"accepted": False, "reason_contains": "needs a reason"}),
        {"expect_instance": {"id": no, "timers": []}},
        cmd("2025-10-14T10:00+08:00", office, "reject_appeal", lc, reason="经核实，计分依据为最终核算数，无误",
            expect={"accepted": True, "state": "decided"}),
        {"down_until": "2025-10-14T12:00+08:00", "label": "the server is down when the decision is made"},
        {"expect_instance": {"id": item(clerk, 6, "appeal_rejected"), "data": {
            "urgency": "upcoming",
            "facts": {"late": True, "reason": "经核实，计分依据为最终核算数，无误", "details": {"total": 912.5}}}},
         "label": "sent once, late, after the restart"},
        cmd("2025-10-14T14:00+08:00", office, "republish", lc, expect={"accepted": True, "state": "published"}),
        {"restart": True},
        {"expect_instance": {"id": item(clerk, 7, "republished"), "data": {"facts": {"details": {"total": 912.5}}}}},
        {"expect_instance": {"id": lc, "state": "ready_for_ratification"}},
        {"expect_instance": {"id": no, "timers": [], "data": {"entries": [
            notice("returned", late=False), notice("plan_approved", late=False),
            notice("plan_issued", late=False), notice("sent_back", late=False),
            notice("published", late=False),
            notice("appeal_lodged", audience="office", recipients=[office_user], late=False),
            notice("appeal_rejected", late=True), notice("republished", late=False)]}},
         "label": "each event once, in order"},
        {"expect_journal": {"command": "announce", "accepted": 8, "refusals": 0}},
        {"expect_journal": {"verifies": True}},
    ]
    write("event_notices.json", {
        "name": "what happens to an assessment reaches the unit's inbox and mail at once, exactly once",
        "description": "Returned with the reason, approved, issued, sent back, published across National "
                       "Day 2025 (received 2025-09-29, appeal until 2025-10-13), an appeal to the office, "
                       "its rejection (announced late after a down time) and the new publication; refused "
                       "commands announce nothing; a restart repeats nothing.",
        "steps": steps})


def bad_cycle():
    config = shifted("workflows/data/cycle-2026-city.json")
    config["target_types"][0]["weight"] = 60
    steps = [
        cmd("2025-01-02T09:00+08:00", ADMIN, "create", "units/guangxi",
            {"directory": {"$file": "workflows/data/units-guangxi.json"}}, typ="units"),
        cmd("2025-01-02T09:05+08:00", OFFICE, "create", "cycle/2025/city",
            {"config": config, "units": "units/guangxi"}, typ="cycle",
            expect={"accepted": False, "reason_contains": "payload.config.target_types"}),
        cmd("2025-01-02T09:06+08:00", {"user": "x", "role": "unit", "unit": "gx-nanning"}, "create",
            "cycle/2025/city", {"config": shifted("workflows/data/cycle-2026-city.json"), "units": "units/guangxi"},
            typ="cycle", expect={"accepted": False, "code": "forbidden"}),
        cmd("2025-01-02T09:07+08:00", {"user": "audit", "role": "auditor"}, "create", "units/other",
            {"directory": {"$file": "workflows/data/units-guangxi.json"}}, typ="units",
            expect={"accepted": False, "code": "forbidden"}),
        {"expect_journal": {"refusals": 3, "accepted": 1}},
    ]
    write("bad_configuration.json", {"name": "a bad cycle file is refused with the field named",
                                     "steps": steps})


# The reminders sent before the down time: adjustment_window 2, self_assessment_due 2,
# lead_scoring_due 5, onsite_verification_due 4, results_due 1, appeal_window before-2.
K_REMINDS = 15
# 3 event notices before it (plan_approved, plan_issued, published): the due-day
# reminder would have been notice number K_REMINDS + 3.


def appeal_window_ends_while_down():
    config = shifted("workflows/data/cycle-2026-city.json")
    u = "gx-wuzhou"
    lc, no = f"lifecycle/2025/city/{u}", f"notices/2025/city/{u}"
    clerk = "wz-clerk"
    steps = setup("cycle/2025/city", config)
    steps.append(cmd("2025-01-02T09:10+08:00", ADMIN, "create", f"user/{clerk}",
                       {"username": clerk, "role": "unit", "unit": u, "email": "clerk@wuzhou.gov.cn"},
                       typ="user"))
    steps.append(cmd("2025-01-02T09:11+08:00", ADMIN, "configure", "directory/notify",
                       {"email": True, "webhooks": [{"name": "oa", "units": [u]}]}, typ="directory"))
    steps += to_execution(lc, u, "cities", config, 2025)
    steps.append({"advance_to": "2025-11-28T10:00+08:00",
                  "label": "a running server sends the adjustment window's reminders while it is open"})
    steps += to_scored(lc, u, "cities", config, 900, 2025, 2026)
    steps += [
        cmd("2026-03-16T10:00+08:00", OFFICE, "publish", lc,
              expect={"accepted": True, "result": {"appeal_window_closes": "2026-03-23"}}),
        {"advance_to": "2026-03-19T10:00+08:00", "label": "the appeal window's before-2 goes out"},
        {"expect_instance": {"id": no, "timers": ["appeal_window/due"]}},
        {"expect_journal": {"command": "remind", "entity": no, "accepted": K_REMINDS}},
        {"down_until": "2026-03-30T08:00+08:00",
         "label": "server down across the window's end: its last reminder and the close fall due together"},
        {"expect_instance": {"id": lc, "state": "ready_for_ratification", "timers": ["ratification_due"]}},
        {"expect_journal": {"command": "close_appeal_window", "accepted": 1, "refusals": 0}},
        {"expect_journal": {"command": "remind", "entity": no, "accepted": K_REMINDS},
         "label": "no \"the appeal window closes today\" after it closed, whichever timer fired first"},
        {"expect_instance": {"id": f"inbox/{clerk}/2025/city/{u}/{K_REMINDS + 2}-appeal_window-before-2",
                             "state": "unread"}},
        {"expect_instance": {"id": f"inbox/{clerk}/2025/city/{u}/{K_REMINDS + 3}-appeal_window-due",
                             "exists": False}},
        {"expect_instance": {"id": f"delivery/email/{clerk}/2025/city/{u}/{K_REMINDS + 3}-appeal_window-due",
                             "exists": False}},
        {"expect_instance": {"id": f"delivery/webhook/oa/2025/city/{u}/{K_REMINDS + 3}-appeal_window-due",
                             "exists": False}},
        {"expect_instance": {"id": no, **planned([
            "ratification_due/before-5", "ratification_due/before-3", "ratification_due/before-1",
            "ratification_due/due", "ratification_due/escalation-1"])}},
        {"restart": True},
        {"expect_journal": {"command": "remind", "entity": no, "accepted": K_REMINDS}},
        {"expect_journal": {"verifies": True}},
    ]
    write("appeal_window_ends_while_down.json", {
        "name": "the appeal window ends while the server is down: no closing-day notice after it closed",
        "description": "Published 2026-03-16, the window closes at the end of 2026-03-23; its before-2 "
                       "reminder goes out on 03-19; the server is down from 03-20 to 03-30, so the "
                       "last day's reminder and close_appeal_window fall due together and fire "
                       "concurrently on restart. Whichever commits first, the reminder is not sent "
                       "(refused by the clock, or cancelled by the close), nothing reaches the inbox, "
                       "mail or webhook, and the window closes once.",
        "steps": steps})


def self_assessment_sent_back():
    config = shifted("workflows/data/cycle-2026-city.json")
    u = "gx-qinzhou"
    lc, no = f"lifecycle/2025/city/{u}", f"notices/2025/city/{u}"
    sa = f"self_assessment/2025/city/{u}"
    first = report(u, "cities", config)
    corrected = report(u, "cities", config, "补充说明")
    steps = setup("cycle/2025/city", config) + to_execution(lc, u, "cities", config, 2025)
    steps += [
        {"advance_to": "2025-11-28T10:00+08:00"},
        cmd("2025-12-20T10:00+08:00", OFFICE, "open_self_assessment", lc,
              expect={"accepted": True, "state": "self_assessing"}),
        {"expect_instance": {"id": lc, "timers": ["self_assessment_due"]}},
        cmd("2026-01-08T10:00+08:00", unit_actor(u), "submit_self_assessment", lc, first,
              expect={"accepted": True, "state": "auditing"}, label="submitted on time"),
        {"expect_instance": {"id": lc, "timers": ["lead_scoring_due", "onsite_verification_due"],
                             "data": {"overdue": []}}},
        cmd("2026-01-15T10:00+08:00", OFFICE, "send_back", lc, {"items": ["functional.1.1.1.1"]},
              "佐证材料不全", expect={"accepted": True, "state": "self_assessing"},
              label="sent back after self_assessment_due (2026-01-10)"),
        {"advance_to": "2026-01-15T10:00:01+08:00", "label": "the notice of the send-back goes out"},
        {"expect_instance": {"id": lc, "timers": [], "data": {
            "overdue": ["self_assessment_due"], "overdue_since": {"self_assessment_due": "2026-01-15"}}},
         "label": "the unit's again and overdue at once; the audit's deadlines wait"},
        {"expect_instance": {"id": no, "timers": []},
         "label": "no escalation for the days the audit held it, no audit reminder while the unit holds it"},
        {"expect_instance": {"id": no, "data": {"entries": [
            {"event": "plan_approved"}, {"event": "plan_issued"},
            {"step": "adjustment_window", "reminder": "before-5"},
            {"step": "adjustment_window", "reminder": "due"},
            {"step": "self_assessment_due", "reminder": "before-5"},
            {"step": "self_assessment_due", "reminder": "before-3"},
            {"step": "lead_scoring_due", "reminder": "before-5"},
            {"step": "lead_scoring_due", "reminder": "before-3"},
            {"kind": "event", "event": "sent_back", "audience": "unit", "on": "2026-01-15",
             "deadline": "2026-01-10", "reason": "佐证材料不全", "late": False,
             "details": {"items": ["functional.1.1.1.1"], "self_assessment_due": "2026-01-10",
                         "overdue": True}}]}},
         "label": "the send-back's notice names the items, the reason and the self-assessment "
                  "deadline, already passed"},
        {"down_until": "2026-01-27T09:00+08:00",
         "label": "lead_scoring_due (01-20) and onsite_verification_due (01-25) pass meanwhile"},
        {"expect_instance": {"id": lc, "data": {"overdue": ["self_assessment_due"]}}},
        {"expect_journal": {"command": "mark_overdue", "accepted": 0, "refusals": 0},
         "label": "nothing marked for a step nobody holds"},
        cmd("2026-01-27T10:00+08:00", unit_actor(u), "submit_self_assessment", lc, corrected,
              expect={"accepted": True, "state": "auditing"}, label="resubmitted"),
        {"expect_instance": {"id": sa, "data": {"lifecycle": lc, "unit": u, "submissions": [
            dict(first, n=1, submitted_on="2026-01-08"), dict(corrected, n=2, submitted_on="2026-01-27")]}},
         "label": "the report sent back and the corrected one both stay readable in the record"},
        {"expect_instance": {"id": lc, "data": {"self_assessment": {"record": sa, "submission": 2}}}},
        {"expect_instance": {"id": lc, "timers": [], "data": {
            "overdue": ["lead_scoring_due", "onsite_verification_due"],
            "overdue_since": {"self_assessment_due": "2026-01-15", "lead_scoring_due": "2026-01-27",
                              "onsite_verification_due": "2026-01-27"},
            "late_steps": [{"step": "self_assessment_due", "deadline": "2026-01-10",
                            "done_on": "2026-01-27", "working_days_late": 12,
                            "overdue_since": "2026-01-15"}]}},
         "label": "the audit's deadlines passed while the unit held the report: overdue at once"},
        {"expect_instance": {"id": no, "timers": []}, "label": "and not escalated for that time"},
        cmd("2026-01-28T10:00+08:00", LEAD, "record_scores", lc,
              {"target_types": scores(config, "cities", 900)}),
        cmd("2026-02-02T10:00+08:00", OFFICE, "finish_audit", lc,
              expect={"accepted": True, "state": "scored", "result": {"total": 900}}),
        {"expect_instance": {"id": lc, "timers": ["results_due"], "data": {"overdue": []}}},
        {"expect_journal": {"verifies": True}},
    ]
    write("self_assessment_sent_back.json", {
        "name": "a self-assessment sent back is the unit's again; the audit's deadlines wait for it",
        "description": "Submitted on time (2026-01-08), sent back on 2026-01-15 after self_assessment_due "
                       "(2026-01-10): overdue at once, no escalation for the audit's days, no audit "
                       "reminder or overdue mark while the unit holds the items; resubmitted on "
                       "2026-01-27, late on record, and the audit deadlines that passed meanwhile are "
                       "overdue at once without escalation.",
        "steps": steps})


def reminders_after_down_time():
    """plan_due 2025-04-30, as in plan_reminders.json: before-5 04-24, before-3 04-27 (the
    make-up Sunday), before-1 04-29, due 04-30, escalation-1 05-06 (09:00). The server is
    down from the evening of 04-23 to noon on 04-29: of the three reminders due by then
    only the latest, before-1, goes out (late); "5 working days left" and "3 left" are
    skipped, on the unit's record, rather than sent days late in a row. Then the server
    runs again and the rest go out on time."""
    config = shifted("workflows/data/cycle-2026-city.json")
    u = "gx-wuzhou"
    lc, no = f"lifecycle/2025/city/{u}", f"notices/2025/city/{u}"

    def reminder(name, late):
        return {"step": "plan_due", "reminder": name, "deadline": "2025-04-30", "late": late}

    def skipped(name):
        return {"step": "plan_due", "reminder": name, "next": "before-1"}

    steps = setup("cycle/2025/city", config)
    steps += [
        cmd("2025-03-03T09:00+08:00", OFFICE, "create", lc, typ="lifecycle"),
        {"expect_instance": {"id": no, **planned(["plan_due/before-5", "plan_due/before-3", "plan_due/before-1",
                                                  "plan_due/due", "plan_due/escalation-1"])}},
        {"advance_to": "2025-04-23T18:00+08:00"},
        {"down_until": "2025-04-29T12:00+08:00", "label": "down from 04-23 evening to 04-29 noon"},
        {"expect_instance": {"id": no, "data": {"entries": [reminder("before-1", True)],
                                                "skipped": [skipped("before-5"), skipped("before-3")]},
                             **planned(["plan_due/due", "plan_due/escalation-1"])},
         "label": "only the latest reminder due goes out; the others are on record as skipped"},
        # Two firings: the chain's head, skipped on to before-1, and before-1, sent.
        {"expect_journal": {"entity": no, "command": "remind", "accepted": 2, "refusals": 0}},
        {"advance_to": "2025-05-07T10:00+08:00"},
        {"expect_instance": {"id": no, "timers": [], "data": {
            "entries": [reminder("before-1", True), reminder("due", False), reminder("escalation-1", False)],
            "skipped": [skipped("before-5"), skipped("before-3")]}},
         "label": "running again: the rest on time"},
        {"expect_instance": {"id": lc, "state": "drafting", "data": {"overdue": ["plan_due"]}}},
        {"expect_journal": {"verifies": True}},
    ]
    write("reminders_after_down_time.json", {
        "name": "after a down time only the latest due reminder of a deadline goes out",
        "steps": steps})


def midyear_rectification():
    """The mid-year check's findings become rectification items (整改) the unit reports on
    with evidence and the office closes or sends back; every wrong step is refused with
    its reason and changes nothing."""
    config = shifted("workflows/data/cycle-2026-city.json")
    u, other = "gx-wuzhou", "gx-beihai"
    lc, no = f"lifecycle/2025/city/{u}", f"notices/2025/city/{u}"
    steps = setup("cycle/2025/city", config) + to_execution(lc, u, "cities", config, 2025)
    finding2 = {"finding": "统计台账不完整", "indicator": "functional.1.1.1.1", "rectify_by": "2025-09-30"}
    steps += [
        cmd("2025-06-30T10:00+08:00", OFFICE, "record_midyear", lc, {"findings": ["进度偏慢"]},
            expect={"accepted": False, "reason_contains":
                    "the mid-year check runs 2025-07-01..2025-07-31 (cycle 2025 city); today is 2025-06-30"},
            label="before the check starts"),
        cmd("2025-07-15T10:00+08:00", unit_actor(u), "record_midyear", lc, {"findings": ["进度偏慢"]},
            expect={"accepted": False, "code": "forbidden", "reason_contains": "only the office may record_midyear"}),
        cmd("2025-07-15T10:00+08:00", OFFICE, "record_midyear", lc, {"findings": [{"finding": ""}]},
            expect={"accepted": False, "reason_contains": "payload.findings[0] must be what the check found"}),
        cmd("2025-07-15T10:00+08:00", OFFICE, "record_midyear", lc,
            {"findings": [{"finding": "指标不存在", "indicator": "functional.9"}]},
            expect={"accepted": False, "reason_contains":
                    "payload.findings[0].indicator: the plan (version 1) has no indicator \"functional.9\""}),
        cmd("2025-07-15T10:00+08:00", OFFICE, "record_midyear", lc,
            {"findings": ["进度偏慢", {"finding": "过期", "rectify_by": "2025-07-14"}]},
            expect={"accepted": False, "reason_contains":
                    "payload.findings[1]: the rectification cannot be due 2025-07-14, before today (2025-07-15)"}),
        cmd("2025-07-15T10:00+08:00", OFFICE, "record_midyear", lc,
            {"findings": [{"finding": "太晚", "rectify_by": "2026-02-01"}]},
            expect={"accepted": False, "reason_contains":
                    "must be due by 2026-01-10, the self-assessment's deadline (cycle 2025 city), not 2026-02-01"}),
        {"expect_instance": {"id": lc, "version": 5, "state": "in_execution"},
         "label": "refusals change nothing"},
        cmd("2025-07-15T10:00+08:00", OFFICE, "record_midyear", lc, {"findings": ["重点项目进度偏慢", finding2]},
            "7月中期核验", expect={"accepted": True, "state": "in_execution",
                                   "result": {"items": ["rect-1", "rect-2"]}}),
        {"expect_instance": {"id": lc, "data": {
            "midyear_findings": [{"on": "2025-07-15", "by": "zhang.office", "items": ["rect-1", "rect-2"],
                                  "note": "7月中期核验"}],
            "rectifications": [
                {"id": "rect-1", "finding": "重点项目进度偏慢", "rectify_by": "2026-01-10", "status": "open"},
                {"id": "rect-2", "finding": "统计台账不完整", "indicator": "functional.1.1.1.1",
                 "rectify_by": "2025-09-30", "status": "open"}]}}},
        cmd("2025-08-01T10:00+08:00", unit_actor(other), "report_rectification", lc,
            {"item": "rect-2", "evidence": ["台账"]}, "已补齐",
            expect={"accepted": False, "code": "forbidden", "reason_contains": "may act only on its own assessment"}),
        cmd("2025-08-01T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-2", "evidence": ["台账"]},
            expect={"accepted": False, "reason_contains": "report_rectification needs a reason"}),
        cmd("2025-08-01T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-2", "evidence": []}, "已补齐",
            expect={"accepted": False, "reason_contains": "report_rectification needs payload.evidence"}),
        cmd("2025-08-01T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-9", "evidence": ["台账"]}, "已补齐",
            expect={"accepted": False, "reason_contains": "no rectification item \"rect-9\" on this assessment"}),
        cmd("2025-08-01T10:00+08:00", OFFICE, "close_rectification", lc, {"item": "rect-2"},
            expect={"accepted": False, "reason_contains": "rectification rect-2 is open; close_rectification needs it reported"}),
        cmd("2025-08-01T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-2", "evidence": ["2025年1-7月统计台账"]}, "已补齐台账",
            expect={"accepted": True, "state": "in_execution"}),
        cmd("2025-08-01T11:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-2", "evidence": ["台账"]}, "再报",
            expect={"accepted": False, "reason_contains": "rectification rect-2 is reported; report_rectification needs it open"}),
        cmd("2025-08-04T10:00+08:00", OFFICE, "reopen_rectification", lc, {"item": "rect-2"},
            expect={"accepted": False, "reason_contains": "reopen_rectification needs a reason"}),
        cmd("2025-08-04T10:00+08:00", OFFICE, "reopen_rectification", lc, {"item": "rect-2"},
            "台账缺6月数据", expect={"accepted": True}),
        cmd("2025-08-11T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-2", "evidence": ["2025年1-7月统计台账（含6月）"]}, "补齐6月数据"),
        cmd("2025-08-12T10:00+08:00", OFFICE, "close_rectification", lc, {"item": "rect-2"}, "已核实"),
        {"expect_instance": {"id": lc, "data": {"rectifications": [
            {"id": "rect-1", "status": "open", "steps": []},
            {"id": "rect-2", "status": "closed", "steps": [
                {"status": "reported", "by": "gx-wuzhou.staff", "role": "unit", "on": "2025-08-01",
                 "reason": "已补齐台账", "evidence": ["2025年1-7月统计台账"]},
                {"status": "open", "by": "zhang.office", "role": "office", "on": "2025-08-04",
                 "reason": "台账缺6月数据"},
                {"status": "reported", "on": "2025-08-11"},
                {"status": "closed", "on": "2025-08-12", "reason": "已核实"}]}]}}},
        # An item's day is a timer: left open past it, the item is overdue from the next
        # day and the unit is told; reported late, the report keeps since when and how
        # many working days late (Tue 16 .. Thu 18 September after Monday the 15th).
        cmd("2025-08-20T10:00+08:00", OFFICE, "record_midyear", lc,
            {"findings": [{"finding": "专项资金拨付滞后", "rectify_by": "2025-09-15"}]}, "8月复核",
            expect={"accepted": True, "result": {"items": ["rect-3"]}}),
        {"advance_to": "2025-09-15T20:00+08:00"},
        {"expect_instance": {"id": lc, "data": {"rectifications": [
            {"id": "rect-1"}, {"id": "rect-2"}, {"id": "rect-3", "status": "open", "overdue_since": None}]}}},
        {"advance_to": "2025-09-16T10:00+08:00", "label": "the item's day has passed"},
        {"expect_instance": {"id": lc, "version": 12, "data": {"rectifications": [
            {"id": "rect-1"}, {"id": "rect-2"},
            {"id": "rect-3", "status": "open", "overdue_since": "2025-09-16"}]}}},
        {"expect_journal": {"entity": lc, "command": "mark_overdue", "accepted": 1, "refusals": 0}},
        cmd("2025-09-18T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-3", "evidence": ["拨付凭证"]}, "资金已拨付"),
        {"expect_instance": {"id": lc, "data": {"rectifications": [
            {"id": "rect-1"}, {"id": "rect-2"},
            {"id": "rect-3", "status": "reported", "overdue_since": None, "steps": [
                {"status": "reported", "on": "2025-09-18", "overdue_since": "2025-09-16",
                 "working_days_late": 3}]}]}}},
        cmd("2025-09-19T10:00+08:00", OFFICE, "close_rectification", lc, {"item": "rect-3"}, "已核实"),
        # The office records findings once the unit reports, the unit reports until its
        # self-assessment is in; the audit may still close what was reported.
        cmd("2025-12-20T10:00+08:00", OFFICE, "open_self_assessment", lc,
            expect={"accepted": True, "state": "self_assessing"}),
        cmd("2025-12-22T10:00+08:00", OFFICE, "record_midyear", lc, {"findings": ["补记"]},
            expect={"accepted": False, "reason_contains": "cannot record_midyear while self_assessing"}),
        cmd("2025-12-22T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-1", "evidence": ["项目进度表"]}, "项目已按计划推进"),
        cmd("2026-01-08T10:00+08:00", unit_actor(u), "submit_self_assessment", lc,
            report(u, "cities", config), expect={"accepted": True, "state": "auditing"}),
        cmd("2026-01-09T10:00+08:00", unit_actor(u), "report_rectification", lc,
            {"item": "rect-1", "evidence": ["x"]}, "再报",
            expect={"accepted": False, "reason_contains":
                    "cannot report_rectification while auditing; allowed now: close_rectification (office)"}),
        cmd("2026-01-12T10:00+08:00", OFFICE, "close_rectification", lc, {"item": "rect-1"},
            expect={"accepted": True, "state": "auditing"}),
        {"expect_instance": {"id": lc, "data": {"rectifications": [
            {"id": "rect-1", "status": "closed"}, {"id": "rect-2", "status": "closed"},
            {"id": "rect-3", "status": "closed"}]}}},
        # Told at once, exactly once (13 with the plan's approval and issue): each check's
        # findings, the reopening and the overdue item to the unit, each report to the
        # office, each closing to the unit. Reported in time, rect-1's and rect-2's timers
        # went: nothing else was marked overdue.
        {"advance_to": "2026-01-12T11:00+08:00"},
        {"expect_journal": {"entity": no, "command": "announce", "accepted": 13, "refusals": 0}},
        {"expect_journal": {"entity": lc, "command": "report_rectification", "accepted": 4, "refusals": 6}},
        {"expect_journal": {"entity": lc, "command": "mark_overdue", "accepted": 1, "refusals": 0}},
        {"expect_journal": {"verifies": True}},
    ]
    write("midyear_rectification.json", {
        "name": "mid-year findings become rectification items, reported with evidence and closed by the office",
        "steps": steps})


if __name__ == "__main__":
    full_year_cities()
    full_year_department()
    return_for_revision()
    plan_reminders()
    adjustment_window()
    appeal_national_day()
    window_closes_while_down()
    event_notices()
    appeal_window_ends_while_down()
    self_assessment_sent_back()
    reminders_after_down_time()
    bad_cycle()
    midyear_rectification()
