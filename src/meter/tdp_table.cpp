#include "meter/tdp_table.h"

#include <cctype>

namespace ecoinfer::meter {
namespace {

// Vendor specifications (ark.intel.com, amd.com product pages): TDP in watts and
// threads per package. Intel 12th-14th gen desktop parts list "processor base
// power", the nearest figure to a TDP. Extend freely; keys are normalized names.
constexpr TdpEntry kTable[] = {
    // Intel Xeon Scalable and E5
    {"xeon platinum 8592+", 350, 128},
    {"xeon platinum 8480+", 350, 112},
    {"xeon platinum 8468", 350, 96},
    {"xeon platinum 8380", 270, 80},
    {"xeon platinum 8358", 250, 64},
    {"xeon platinum 8280", 205, 56},
    {"xeon platinum 8180", 205, 56},
    {"xeon gold 6338", 205, 64},
    {"xeon gold 6248", 150, 40},
    {"xeon gold 6230", 125, 40},
    {"xeon gold 6154", 200, 36},
    {"xeon gold 6148", 150, 40},
    {"xeon gold 6130", 125, 32},
    {"xeon gold 5218", 125, 32},
    {"xeon silver 4214", 85, 24},
    {"xeon silver 4210", 85, 20},
    {"xeon e5-2699 v4", 145, 44},
    {"xeon e5-2686 v4", 145, 36},
    {"xeon e5-2680 v4", 120, 28},
    // AMD EPYC
    {"epyc 9754", 360, 256},
    {"epyc 9654", 360, 192},
    {"epyc 9554", 360, 128},
    {"epyc 9454", 290, 96},
    {"epyc 9374f", 320, 64},
    {"epyc 7763", 280, 128},
    {"epyc 7742", 225, 128},
    {"epyc 7702", 200, 128},
    {"epyc 7601", 180, 64},
    {"epyc 7543", 225, 64},
    {"epyc 7513", 200, 64},
    {"epyc 7452", 155, 64},
    // Intel Core desktop
    {"i9-14900k", 125, 32},
    {"i9-13900k", 125, 32},
    {"i7-13700k", 125, 24},
    {"i5-13600k", 125, 20},
    {"i9-12900k", 125, 24},
    {"i7-12700k", 125, 20},
    {"i5-12400", 65, 12},
    {"i9-10900k", 125, 20},
    {"i7-10700k", 125, 16},
    {"i9-9900k", 95, 16},
    {"i7-8700k", 95, 12},
    // AMD Ryzen desktop and Threadripper
    {"ryzen 9 7950x", 170, 32},
    {"ryzen 9 7900x", 170, 24},
    {"ryzen 7 7700x", 105, 16},
    {"ryzen 9 5950x", 105, 32},
    {"ryzen 9 5900x", 105, 24},
    {"ryzen 7 5800x", 105, 16},
    {"ryzen 5 5600x", 65, 12},
    {"ryzen 9 3900x", 105, 24},
    {"ryzen threadripper 3990x", 280, 128},
};

void erase_all(std::string& s, const std::string& what) {
  for (size_t p; (p = s.find(what)) != std::string::npos;) s.replace(p, what.size(), " ");
}

}  // namespace

std::span<const TdpEntry> tdp_table() { return kTable; }

std::string normalize_cpu_model(const std::string& model_name) {
  std::string s;
  for (char c : model_name) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  erase_all(s, "(r)");
  erase_all(s, "(tm)");
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<TdpEntry> lookup_tdp(const std::string& model_name) {
  std::string n = " " + normalize_cpu_model(model_name) + " ";
  std::optional<TdpEntry> best;
  for (const TdpEntry& e : kTable) {
    std::string key = e.key;
    for (size_t p = n.find(key); p != std::string::npos; p = n.find(key, p + 1)) {
      char before = n[p - 1], after = n[p + key.size()];
      bool ok_before = !std::isalnum(static_cast<unsigned char>(before));
      bool ok_after = !std::isalnum(static_cast<unsigned char>(after)) && after != '+' && after != '-';
      if (ok_before && ok_after && (!best || key.size() > std::string(best->key).size())) best = e;
    }
  }
  return best;
}

}  // namespace ecoinfer::meter
