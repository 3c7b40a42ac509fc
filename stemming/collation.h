// Swedish alphabetical order as a byte string: sort keys for titles and names.
//
// Xapian sorts by value slots and KeyMaker keys bytewise, and std::sort on UTF-8 strings puts
// "Ärende" before "Avtal" and "avtal" after "Zon". SwedishSortKey turns a text into a key whose
// bytewise order is the order a Swedish reader expects (the rules of modern Swedish
// dictionaries, SAOL since 2006, and of CLDR's Swedish collation), without ICU:
//  - primary level, case-insensitive: digits, then a-z, then å, ä, ö. v and w are separate
//    letters. Danish/Norwegian æ sorts as ä and ø as ö (œ and ő as ö too), ü and ű as y; every
//    other accented Latin letter sorts as its base letter (é as e, ç as c, ñ as n), þ as "th",
//    ß as "ss". Other scripts follow ö in code point order. Spaces, punctuation and symbols
//    are ignored, so "e-handel" files beside "ehandel";
//  - secondary level, only between texts equal so far: an unaccented letter before an
//    accented one ("energi" < "énergi", "ä" < "æ"), accents in code point order;
//  - tertiary level: lowercase before uppercase ("energi" < "Energi");
//  - last, the composed text itself, so that "ab c" and "abc" still have a fixed order.
// Input goes through stemming::ComposeLatin first: "a" + U+030A gives the same key as "å".
// Two texts therefore have equal keys exactly when their ComposeLatin forms are equal (invalid
// UTF-8 becomes U+FFFD there, so texts that differ only in their invalid bytes may tie); any
// other pair gets a strict, deterministic order.
//
// Thread safety: pure function, no state; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace afori::stemming {

// The sort key of a UTF-8 text; the empty text has the smallest key of all.
std::string SwedishSortKey(std::string_view text);

}  // namespace afori::stemming
