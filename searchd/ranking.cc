#include "searchd/ranking.h"

#include <algorithm>
#include <cmath>

namespace afori::searchd {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// Why the tiers hold: one term's BM25 part is at most idf * min(wqf, 3) * (k1 + 1). For a
// collection of N documents idf <= ln(2N + 2), which is 14.5 at a million documents, so a
// term adds at most 96 there. The bonus of one more matching term (10,000) therefore
// outweighs the BM25 parts of 100 terms: far more than a search box query holds.
constexpr double kMaxWqfFactor = 3.0;

}  // namespace

CoordinationWeight::CoordinationWeight() {
  need_stat(COLLECTION_SIZE);
  need_stat(TERMFREQ);
  need_stat(AVERAGE_LENGTH);
  need_stat(DOC_LENGTH);
  need_stat(WDF);
  need_stat(WQF);
}

void CoordinationWeight::init(double factor) {
  factor_ = factor;
  if (factor == 0.0) return;  // a boolean context or the term-independent part
  double n = get_collection_size();
  double df = get_termfreq();
  idf_ = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  wqf_ = std::min<double>(get_wqf(), kMaxWqfFactor);
  average_length_ = std::max(1.0, static_cast<double>(get_average_length()));
}

std::string CoordinationWeight::name() const { return "afori::CoordinationWeight"; }
std::string CoordinationWeight::serialise() const { return {}; }
CoordinationWeight* CoordinationWeight::unserialise(const std::string&) const {
  return new CoordinationWeight();
}
CoordinationWeight* CoordinationWeight::clone() const { return new CoordinationWeight(); }

double CoordinationWeight::Bm25Part(double idf, double wqf, double wdf, double doclen,
                                    double avg_len) {
  if (wdf <= 0.0) return 0.0;
  double k = kK1 * ((1.0 - kB) + kB * doclen / avg_len);
  return idf * wqf * (kK1 + 1.0) * wdf / (k + wdf);
}

double CoordinationWeight::get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                                       Xapian::termcount) const {
  if (factor_ == 0.0) return 0.0;
  return factor_ * (kCoordinationBonus + Bm25Part(idf_, wqf_, wdf, doclen, average_length_));
}

double CoordinationWeight::get_maxpart() const {
  if (factor_ == 0.0) return 0.0;
  return factor_ * (kCoordinationBonus + idf_ * wqf_ * (kK1 + 1.0));
}

double CoordinationWeight::get_sumextra(Xapian::termcount, Xapian::termcount) const { return 0.0; }
double CoordinationWeight::get_maxextra() const { return 0.0; }

}  // namespace afori::searchd
