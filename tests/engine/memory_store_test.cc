#include "engine/memory_store.h"

#include "tests/engine/store_contract.h"

namespace {
std::unique_ptr<govassess::Store> MakeMemoryStore() { return std::make_unique<govassess::MemoryStore>(); }
}  // namespace

GOVASSESS_STORE_CONTRACT("memory store", MakeMemoryStore)
