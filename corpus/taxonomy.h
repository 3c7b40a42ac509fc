// The fixed facet vocabularies of the shipped knowledge base: its 13 themes and its regions
// (the 21 län plus "Nationell"). The document format itself accepts any value; these lists
// are what corpus/data is written against, what the coverage test checks and what the
// synthetic corpus generator draws from.
//
// Thread safety: constants only.
#pragma once

#include <array>
#include <string_view>

namespace afori::corpus {

inline constexpr std::array<std::string_view, 13> kShippedThemes = {
    "Hälsa och vård", "Omsorg och välfärd", "Klimat och miljö", "Energi",
    "Transport och mobilitet", "Digitalisering", "Livsmedel och måltider",
    "Bygg och fastigheter", "Cirkulär ekonomi", "Vatten och avlopp",
    "Juridik och regelverk", "Marknadsdialog", "Finansiering"};

// "Nationell" first: the generator's Zipf draw makes the first value the most frequent.
inline constexpr std::array<std::string_view, 22> kShippedRegions = {
    "Nationell", "Stockholms län", "Västra Götalands län", "Skåne län", "Uppsala län",
    "Östergötlands län", "Jönköpings län", "Hallands län", "Örebro län", "Södermanlands län",
    "Dalarnas län", "Gävleborgs län", "Värmlands län", "Västmanlands län", "Västerbottens län",
    "Norrbottens län", "Västernorrlands län", "Kalmar län", "Kronobergs län", "Blekinge län",
    "Jämtlands län", "Gotlands län"};

}  // namespace afori::corpus
