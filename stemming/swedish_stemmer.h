// Swedish stemmer: the Snowball 3.0 Swedish algorithm, written for afori from its published
// description (shared/snowball/swedish/algorithm.tt) and usable wherever Xapian takes a stemmer.
//
// Xapian 1.4's built-in Xapian::Stem("swedish") implements the pre-3.0 algorithm, which keeps
// the definite "-et" ending ("anbudet" stays "anbudet" instead of joining "anbud") and turns
// "-öst" into "-ös" only after "l". This stemmer follows the current algorithm so that those
// inflections meet their base forms in the index.
//
// Input is one lowercase, NFC-composed UTF-8 word; other input is stemmed without crashing but
// without a meaningful result. Invalid UTF-8 is tolerated the same way.
//
// Thread safety: stateless and reentrant. StemSwedish may be called from any number of threads;
// a SwedishStemImplementation holds no data, but the Xapian::Stem handle wrapping it is, like
// every Xapian::Stem, to be used by one thread at a time (MakeSwedishStem gives each its own).
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace afori::stemming {

// Stems one lowercase, NFC-composed UTF-8 word with the Snowball 3 Swedish algorithm.
std::string StemSwedish(std::string_view word);

// The same algorithm as a Xapian stemmer: Xapian::Stem(new SwedishStemImplementation).
class SwedishStemImplementation : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override;
  std::string get_description() const override;  // "afori-swedish-snowball3"
};

// Convenience: a fresh Xapian::Stem using the implementation above.
Xapian::Stem MakeSwedishStem();

}  // namespace afori::stemming
