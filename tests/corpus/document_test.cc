#include "corpus/document.h"

#include <gtest/gtest.h>

namespace afori::corpus {
namespace {

using nlohmann::json;

json ValidGuide() {
  return json::parse(R"({"id": "vagledning-ett", "type": "guide", "title": "Titel",
                         "body": "Text om upphandling."})");
}

json ValidFunding() {
  return json::parse(R"({"id": "finans-ett", "type": "funding", "title": "Bidrag",
                         "body": "Text.", "funder": "Fonden", "deadline": "2027-01-31",
                         "amount_max_sek": 250000})");
}

TEST(DocumentTest, AcceptsMinimalGuideAndKeepsUnknownFields) {
  json value = ValidGuide();
  value["extra"] = {{"nested", true}};
  Result<Document> doc = ParseDocument(value);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->id, "vagledning-ett");
  EXPECT_EQ(doc->type, DocType::kGuide);
  EXPECT_EQ(json::parse(doc->source_json)["extra"]["nested"], true);
  EXPECT_EQ(doc->source_json, value.dump());  // compact, keys sorted: what is stored
  EXPECT_FALSE(doc->summary.has_value());
}

TEST(DocumentTest, ReadsAllOptionalFields) {
  json value = ValidFunding();
  value["summary"] = "Kort";
  value["url"] = "https://afori.example/x";
  value["published"] = "2026-01-02";
  value["updated"] = "2026-02-03";
  value["themes"] = {"Energi", "Finansiering", "Energi"};
  value["organisations"] = {"Fonden"};
  value["region"] = "Skåne län";
  value["tags"] = {"bidrag"};
  Result<Document> doc = ParseDocument(value);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->themes, (std::vector<std::string>{"Energi", "Finansiering"}));  // deduplicated
  EXPECT_EQ(doc->region, "Skåne län");
  EXPECT_EQ(doc->deadline, "2027-01-31");
  EXPECT_EQ(doc->amount_max_sek, 250000);
  EXPECT_EQ(doc->published, "2026-01-02");
}

TEST(DocumentTest, NullOptionalFieldIsAbsent) {
  json value = ValidGuide();
  value["summary"] = nullptr;
  Result<Document> doc = ParseDocument(value);
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(doc->summary.has_value());
}

struct InvalidCase {
  const char* name;
  const char* field;  // set to `value` (JSON text); "-" removes `remove`
  const char* value;
  const char* expected;  // substring of the error message
};

class InvalidDocumentTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidDocumentTest, IsRejectedWithAReasonNamingTheField) {
  const InvalidCase& c = GetParam();
  json value = std::string(c.field).starts_with("funding.") ? ValidFunding() : ValidGuide();
  std::string field = c.field;
  if (field.starts_with("funding.")) field = field.substr(8);
  if (std::string(c.value) == "<remove>") {
    value.erase(field);
  } else {
    value[field] = json::parse(c.value);
  }
  Result<Document> doc = ParseDocument(value);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), ErrorCode::kInvalidDocument);
  EXPECT_NE(doc.status().message().find(c.expected), std::string::npos)
      << "message: " << doc.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    AllReasons, InvalidDocumentTest,
    ::testing::Values(
        InvalidCase{"missing_id", "id", "<remove>", "missing required field 'id'"},
        InvalidCase{"missing_type", "type", "<remove>", "missing required field 'type'"},
        InvalidCase{"missing_title", "title", "<remove>", "missing required field 'title'"},
        InvalidCase{"missing_body", "body", "<remove>", "missing required field 'body'"},
        InvalidCase{"empty_title", "title", R"("  ")", "'title' must not be empty"},
        InvalidCase{"uppercase_id", "id", R"("Vagledning")", "invalid id \"Vagledning\""},
        InvalidCase{"id_with_space", "id", R"("a b")", "invalid id"},
        InvalidCase{"id_leading_dash", "id", R"("-abc")", "invalid id"},
        InvalidCase{"id_too_long", "id", "\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
                    "invalid id"},
        InvalidCase{"id_number", "id", "42", "'id' must be a string, got number"},
        InvalidCase{"unknown_type", "type", R"("blog")", "must be one of guide, case, funding"},
        InvalidCase{"title_number", "title", "7", "'title' must be a string"},
        InvalidCase{"bad_month", "published", R"("2024-13-01")", "'published' must be a date"},
        InvalidCase{"not_leap_year", "updated", R"("2023-02-29")", "'updated' must be a date"},
        InvalidCase{"swedish_date", "published", R"("1 mars 2024")", "must be a date YYYY-MM-DD"},
        InvalidCase{"themes_string", "themes", R"("Energi")", "'themes' must be a list of strings"},
        InvalidCase{"themes_number", "themes", R"(["Energi", 3])", "'themes' must be a list"},
        InvalidCase{"empty_tag", "tags", R"([""])", "'tags' has an empty value"},
        InvalidCase{"region_list", "region", R"(["Skåne län"])", "'region' must be a string"},
        InvalidCase{"deadline_on_guide", "deadline", R"("2027-01-01")",
                    "'deadline' is only allowed for type funding"},
        InvalidCase{"negative_amount", "funding.amount_max_sek", "-5", "integer >= 0"},
        InvalidCase{"fractional_amount", "funding.amount_max_sek", "10.5", "integer >= 0"},
        InvalidCase{"amount_as_text", "funding.amount_max_sek", R"("100")", "integer >= 0"},
        InvalidCase{"bad_deadline", "funding.deadline", R"("2027-02-30")", "'deadline' must be a date"}),
    [](const ::testing::TestParamInfo<InvalidCase>& info) { return std::string(info.param.name); });

TEST(DocumentTest, RejectsNonObjects) {
  for (const char* text : {"[]", "\"text\"", "12", "null"}) {
    Result<Document> doc = ParseDocument(json::parse(text));
    ASSERT_FALSE(doc.ok()) << text;
    EXPECT_NE(doc.status().message().find("must be a JSON object"), std::string::npos);
  }
}

TEST(DocumentTest, DateValidation) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_TRUE(IsValidDate("2026-12-31"));
  EXPECT_FALSE(IsValidDate("2026-12-32"));
  EXPECT_FALSE(IsValidDate("2026-00-10"));
  EXPECT_FALSE(IsValidDate("2026-1-10"));
  EXPECT_FALSE(IsValidDate("20261210"));
  EXPECT_FALSE(IsValidDate(""));
}

TEST(DocumentTest, IdValidation) {
  EXPECT_TRUE(IsValidId("a"));
  EXPECT_TRUE(IsValidId("0-abc-9"));
  EXPECT_TRUE(IsValidId(std::string(128, 'x')));
  EXPECT_FALSE(IsValidId(std::string(129, 'x')));
  EXPECT_FALSE(IsValidId("åtgärd"));
  EXPECT_FALSE(IsValidId("a_b"));
  EXPECT_FALSE(IsValidId(""));
}

}  // namespace
}  // namespace afori::corpus
