// Indexer: turns validated documents into a Xapian database laid out as common/schema.h says.
//
// ToXapianDocument() maps one document: title, summary, tags and body (Markdown stripped) as
// Swedish-analysed free text (stemming::Analyzer::IndexText) with title > summary > body
// weights, the title's stems also under the title prefix; facet values as boolean filter terms plus one value slot
// per facet for counting; dates and the amount as sortable values; the document JSON as
// it was given (unknown fields included) as the stored data; and the unique id term.
// BuildDatabase() writes a complete new database in one commit.
//
// Thread safety: free functions; the Analyzer may be shared between threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "corpus/document.h"
#include "corpus/loader.h"
#include "stemming/analysis.h"

namespace afori::indexer {

Xapian::Document ToXapianDocument(const corpus::Document& doc,
                                  const stemming::Analyzer& analyzer);

// Creates (or overwrites) the database at db_path with exactly `documents`, records the
// schema version and the analysis fingerprint, and commits once. Fails with IoError if the database cannot be written.
Status BuildDatabase(const std::string& db_path,
                     const std::vector<corpus::LoadedDocument>& documents,
                     const stemming::Analyzer& analyzer);

}  // namespace afori::indexer
