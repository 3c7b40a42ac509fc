// CoordinationWeight: BM25 ranked in tiers by how many query terms a document matches.
//
// Visitors expect a document that contains every word they typed above one that contains only
// some of them, however often those few words occur; plain BM25 does not promise that. This
// weighting scheme adds a fixed kCoordinationBonus for every query term a document matches,
// on top of that term's BM25 weight (k1 = 1.2, b = 0.75, idf = ln(1 + (N - n + 0.5)/(n + 0.5))).
// Because a term's BM25 part is bounded well below the bonus (see ranking.cc), the documents
// matching k distinct terms always rank above those matching k - 1, and BM25 orders the
// documents within a tier. Field preferences (title > summary > body) come from the wdf
// multipliers in common/schema.h. A query term that is the OR of several terms (a synonym or
// wildcard expansion via OP_SYNONYM) counts once. Boolean filter terms weigh nothing.
//
// Thread safety: Xapian clones the prototype for every term of every query; instances are
// not shared between threads.
#pragma once

#include <string>

#include <xapian.h>

namespace afori::searchd {

class CoordinationWeight : public Xapian::Weight {
 public:
  static constexpr double kCoordinationBonus = 10000.0;

  CoordinationWeight();

  std::string name() const override;
  std::string serialise() const override;
  CoordinationWeight* unserialise(const std::string& serialised) const override;
  CoordinationWeight* clone() const override;

  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                     Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxextra() const override;

  // The BM25 part alone for the given statistics (exposed for tests and explanations).
  static double Bm25Part(double idf, double wqf, double wdf, double doclen, double avg_len);

 private:
  void init(double factor) override;

  double factor_ = 0.0;
  double idf_ = 0.0;
  double wqf_ = 1.0;
  double average_length_ = 1.0;
};

}  // namespace afori::searchd
