// catalog.cpp - the paper's datasets as they are in ../shared/datasets (see its MANIFEST.md).
#include "datasets/catalog.h"

namespace dlaaw::datasets {

const std::vector<CatalogEntry>& catalog() {
  static const std::vector<CatalogEntry> entries = {
      {"breast_cancer",
       "Breast Cancer (UCI WDBC, first five mean features)",
       "Breast_cancer_data.csv",
       "7fefa6401c02ffb28075dca2e05cd054f26bf1781a35bdfb39826e7822e6d038",
       569,
       true,
       {},
       "diagnosis",
       "1",
       {},
       {},
       5,
       ""},
      {"pima",
       "Pima Indians Diabetes",
       "diabetes.csv",
       "698c203a14aa31941d2251175330c9199f3ccdb31597abbba2a3e35416257a72",
       768,
       true,
       {},
       "Outcome",
       "1",
       {},
       {},
       8,
       ""},
      {"banknote",
       "Banknote Authentication",
       "data_banknote_authentication.txt",
       "d0539aaed2139ba7a587b3e34fb345ce503ff7d5d33dbf9912d8e195ce425cb9",
       1372,
       false,
       {"variance", "skewness", "curtosis", "entropy", "class"},
       "class",
       "1",
       {},
       {},
       4,
       ""},
      {"grid_stability",
       "Electrical Grid Stability Simulated Data",
       "Data_for_UCI_named.csv",
       "7afc3154fed9cd65258b3403b60381fe6b0d832bf817a1ea4866395d05a84a83",
       10000,
       true,
       {},
       "stabf",
       "unstable",
       {},
       {},
       13,
       "input 'stab' determines the label 'stabf' (stab > 0 means unstable); kept for fidelity "
       "with the paper's 13-input network 4"},
      {"bank_marketing",
       "Bank Marketing (full set)",
       "bank-full.csv",
       "d1513ec63b385506f7cfce9f2c5caa9fe99e7ba4e8c3fa264b3aaf0f849ed32d",
       45211,
       true,
       {},
       "y",
       "yes",
       {"job", "marital", "education", "default", "housing", "loan", "contact", "month",
        "poutcome"},
       {},
       16,
       ""},
  };
  return entries;
}

std::optional<CatalogEntry> find_in_catalog(std::string_view name) {
  for (const auto& e : catalog()) {
    if (e.name == name) return e;
  }
  return std::nullopt;
}

std::string catalog_names() {
  std::string names;
  for (const auto& e : catalog()) names += (names.empty() ? "" : ", ") + e.name;
  return names;
}

}  // namespace dlaaw::datasets
