// Tags of protected instances (spec-more 6): add one, batch add/delete, delete one, list one
// instance's, list the project's, and the tag query (resource_instances/action).
#include <algorithm>

#include "common.hpp"

namespace emu {
namespace {

constexpr size_t kMaxTagsPerInstance = 20;  // the tag API pages (6.1)

using TagList = std::vector<std::pair<std::string, std::string>>;

Response no_content() {
  return Response{204, ""};
}

void set_tag(TagList &tags, const std::string &key, const std::string &value) {
  for (auto &t : tags) {
    if (t.first == key) {
      t.second = value;
      return;
    }
  }
  tags.emplace_back(key, value);
}

// The tag writes list no status condition (G7); only an instance being deleted refuses them.
bool taggable(const Instance &inst) {
  return inst.status != "deleting";
}

// One condition list of the tag query: [{key, values[]}].
struct TagCondition {
  std::string key;
  std::vector<std::string> values;  // empty: any value
};

bool parse_conditions(const rapidjson::Value &v, const char *name, std::vector<TagCondition> *out,
                      Response *err) {
  if (!v.IsArray()) {
    *err = bad_request("SDRS.0201", std::string(name) + " must be an array of {key, values}");
    return false;
  }
  if (v.Size() > 20) {
    *err = bad_request("SDRS.2203", std::string(name) + " holds more than 20 keys");
    return false;
  }
  for (const rapidjson::Value &c : v.GetArray()) {
    const rapidjson::Value *k = c.IsObject() ? member(c, "key") : nullptr;
    const rapidjson::Value *vals = c.IsObject() ? member(c, "values") : nullptr;
    if (k == nullptr || !k->IsString()) {
      *err = bad_request("SDRS.2205", std::string(name) + ": every entry needs a key");
      return false;
    }
    TagCondition tc;
    tc.key.assign(k->GetString(), k->GetStringLength());
    size_t b = tc.key.find_first_not_of(' ');
    size_t e = tc.key.find_last_not_of(' ');
    tc.key = b == std::string::npos ? "" : tc.key.substr(b, e - b + 1);  // trimmed first
    if (tc.key.empty()) {
      *err = bad_request("SDRS.2205", std::string(name) + ": a key is empty or blank");
      return false;
    }
    if (tc.key.size() > size_t{127} * 4) {
      *err = bad_request("SDRS.2204", std::string(name) + ": key longer than 127 characters");
      return false;
    }
    for (const TagCondition &seen : *out) {
      if (seen.key == tc.key) {
        *err = bad_request("SDRS.2209", std::string(name) + ": key " + tc.key + " given twice");
        return false;
      }
    }
    if (vals == nullptr || !vals->IsArray()) {
      *err = bad_request("SDRS.0201", std::string(name) + ": values must be an array");
      return false;
    }
    if (vals->Size() > 20) {
      *err = bad_request("SDRS.2218", std::string(name) + ": more than 20 values for a key");
      return false;
    }
    for (const rapidjson::Value &val : vals->GetArray()) {
      if (!val.IsString() || val.GetStringLength() > 255U * 4 ||
          std::string(val.GetString()) == "*") {
        *err = bad_request("SDRS.2207", std::string(name) +
                                            ": values must be strings of at "
                                            "most 255 characters, not a lone *");
        return false;
      }
      std::string s(val.GetString(), val.GetStringLength());
      for (const std::string &seen : tc.values) {
        if (seen == s) {
          *err = bad_request("SDRS.2219", std::string(name) + ": value " + s + " given twice");
          return false;
        }
      }
      tc.values.push_back(s);
    }
    out->push_back(tc);
  }
  return true;
}

// A value matches a condition value: exactly, or "*x" = contains x.
bool value_matches(const std::string &have, const std::string &want) {
  if (!want.empty() && want[0] == '*') return have.find(want.substr(1)) != std::string::npos;
  return have == want;
}

bool has_tag(const TagList &tags, const TagCondition &c) {
  for (const auto &t : tags) {
    if (t.first != c.key) continue;
    if (c.values.empty()) return true;
    for (const std::string &v : c.values) {
      if (value_matches(t.second, v)) return true;
    }
  }
  return false;
}

bool has_all(const TagList &tags, const std::vector<TagCondition> &cs) {
  return std::all_of(cs.begin(), cs.end(),
                     [&tags](const TagCondition &c) { return has_tag(tags, c); });
}

bool has_any(const TagList &tags, const std::vector<TagCondition> &cs) {
  return std::any_of(cs.begin(), cs.end(),
                     [&tags](const TagCondition &c) { return has_tag(tags, c); });
}

std::string lower_ascii(std::string s) {
  for (char &c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A decimal string member of the tag query (limit/offset are strings there, 6.8).
bool string_number(const rapidjson::Value &d, const char *key, int64_t *out, bool *present,
                   Response *err) {
  const rapidjson::Value *v = member(d, key);
  *present = v != nullptr;
  if (v == nullptr) return true;
  if (!v->IsString() || !parse_int(v->GetString(), *out)) {
    *err = bad_request(std::string(key) == "limit" ? "SDRS.2220" : "SDRS.0222",
                       std::string(key) + " must be a decimal string");
    return false;
  }
  return true;
}

}  // namespace

Response Emulator::project_tags() {
  std::vector<std::pair<std::string, std::vector<std::string>>> keys;
  for (const auto &entry : instances_) {
    for (const auto &t : entry.second.tags) {
      auto it = keys.begin();
      while (it != keys.end() && it->first != t.first) ++it;
      if (it == keys.end()) it = keys.insert(keys.end(), {t.first, {}});
      bool seen = false;
      for (const std::string &v : it->second) seen = seen || v == t.second;
      if (!seen) it->second.push_back(t.second);
    }
  }
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("tags");
  w.StartArray();
  for (const auto &k : keys) {
    w.StartObject();
    w.Key("key");
    write_str(w, k.first);
    w.Key("values");
    w.StartArray();
    for (const std::string &v : k.second) write_str(w, v);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

Response Emulator::instance_tags_route(const Request &req, const Segs &segs, int64_t /*now*/) {
  const std::string &m = req.method;
  const size_t n = segs.size();
  const bool batch = n == 6 && segs[5] == "action";
  if (n > 6) return no_route();
  if (n == 5 && m != "GET" && m != "POST") return bad_method();
  if (batch && m != "POST") return bad_method();
  if (n == 6 && !batch && m != "DELETE") return bad_method();
  Instance *inst = instances_.find(segs[3]);
  rapidjson::Document d;
  Response err;
  if (n == 5 && m == "GET") {
    if (inst == nullptr) return not_found("SDRS.1320", "protected instance not found");
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartObject();
    w.Key("tags");
    w.StartArray();
    for (const auto &t : inst->tags) {
      w.StartObject();
      w.Key("key");
      write_str(w, t.first);
      w.Key("value");
      write_str(w, t.second);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Response{200, buffer_text(sb)};
  }
  if (n == 6 && !batch) {  // DELETE .../tags/{key}
    const std::string &key = segs[5];
    if (key.find_first_not_of(" \t") == std::string::npos) {
      return bad_request("SDRS.2205", "tag key must not be blank");
    }
    if (inst == nullptr) return not_found("SDRS.1320", "protected instance not found");
    if (!taggable(*inst)) {
      return state_error("SDRS.2222",
                         "tags cannot be deleted while the instance is " + inst->status);
    }
    for (auto it = inst->tags.begin(); it != inst->tags.end(); ++it) {
      if (it->first == key) {
        inst->tags.erase(it);
        return no_content();
      }
    }
    return error_response(404, "itemNotFound", "SDRS.2206", "tag key " + key + " not found");
  }
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  if (!batch) {  // POST .../tags {"tag": {key, value}}
    const rapidjson::Value *tag = member(d, "tag");
    if (tag == nullptr || !tag->IsObject()) {
      return bad_request("SDRS.0201", "tag is missing or not an object");
    }
    rapidjson::Value one(rapidjson::kArrayType);
    rapidjson::Value copy(*tag, d.GetAllocator());
    one.PushBack(copy, d.GetAllocator());
    TagList parsed;
    if (!parse_tags(one, 1, &parsed, &err)) return err;
    if (inst == nullptr) return not_found("SDRS.1320", "protected instance not found");
    if (!taggable(*inst)) {
      return state_error("SDRS.2221", "tags cannot be added while the instance is " + inst->status);
    }
    TagList next = inst->tags;
    set_tag(next, parsed[0].first, parsed[0].second);
    if (next.size() > kMaxTagsPerInstance) {
      return bad_request("SDRS.2203", "an instance has at most 20 tags");
    }
    inst->tags = next;
    return no_content();
  }
  const rapidjson::Value *action = member(d, "action");
  const std::string act = action != nullptr && action->IsString() ? action->GetString() : "";
  if (act != "create" && act != "delete") {
    return bad_request("SDRS.2201", "action must be create or delete");
  }
  const rapidjson::Value *tags = member(d, "tags");
  if (tags == nullptr || !tags->IsArray()) {
    return bad_request("SDRS.0201", "tags is missing or not an array");
  }
  if (tags->Empty()) return bad_request("SDRS.2202", "tags is empty");
  if (act == "create") {
    TagList parsed;
    if (!parse_tags(*tags, kMaxTagsPerInstance, &parsed, &err)) return err;
    if (inst == nullptr) return not_found("SDRS.1320", "protected instance not found");
    if (!taggable(*inst)) {
      return state_error("SDRS.2221", "tags cannot be added while the instance is " + inst->status);
    }
    TagList next = inst->tags;
    for (const auto &t : parsed) set_tag(next, t.first, t.second);
    if (next.size() > kMaxTagsPerInstance) {
      return bad_request("SDRS.2203", "an instance has at most 20 tags");
    }
    inst->tags = next;
    return no_content();
  }
  // delete: by key, or by key and value when a value is given; unknown tags are ignored.
  std::vector<std::pair<std::string, const rapidjson::Value *>> doomed;
  for (const rapidjson::Value &t : tags->GetArray()) {
    const rapidjson::Value *k = t.IsObject() ? member(t, "key") : nullptr;
    if (k == nullptr || !k->IsString() ||
        std::string(k->GetString()).find_first_not_of(" \t") == std::string::npos) {
      return bad_request("SDRS.2205", "every tag to delete needs a non-blank key");
    }
    const rapidjson::Value *v = member(t, "value");
    if (v != nullptr && !v->IsNull() && !v->IsString()) {
      return bad_request("SDRS.2207", "a tag value must be a string");
    }
    doomed.emplace_back(k->GetString(), v != nullptr && v->IsString() ? v : nullptr);
  }
  if (inst == nullptr) return not_found("SDRS.1320", "protected instance not found");
  if (!taggable(*inst)) {
    return state_error("SDRS.2222", "tags cannot be deleted while the instance is " + inst->status);
  }
  for (const auto &dt : doomed) {
    for (auto it = inst->tags.begin(); it != inst->tags.end(); ++it) {
      if (it->first == dt.first && (dt.second == nullptr || it->second == dt.second->GetString())) {
        inst->tags.erase(it);
        break;
      }
    }
  }
  return no_content();
}

Response Emulator::tag_query(const Request &req) {
  rapidjson::Document d;
  if (!parse_object(req.body, d)) return bad_request("SDRS.0201", "body is not a JSON object");
  const rapidjson::Value *action = member(d, "action");
  const std::string act = action != nullptr && action->IsString() ? action->GetString() : "";
  if (act != "filter" && act != "count") {
    return bad_request("SDRS.2210", "action must be filter or count");
  }
  Response err;
  int64_t limit = 1000, offset = 0;
  bool has_limit = false, has_offset = false;
  if (!string_number(d, "limit", &limit, &has_limit, &err) ||
      !string_number(d, "offset", &offset, &has_offset, &err)) {
    return err;
  }
  if (act == "count" && (has_limit || has_offset)) {
    return bad_request("SDRS.2211", "limit and offset are not allowed with action count");
  }
  if (limit < 1 || limit > 1000) return bad_request("SDRS.2220", "limit must be 1 to 1000");
  if (offset < 0) return bad_request("SDRS.0222", "offset must not be negative");
  std::string name_match;
  bool has_match = false;
  if (const rapidjson::Value *matches = member(d, "matches")) {
    if (!matches->IsArray()) return bad_request("SDRS.0201", "matches must be an array");
    if (matches->Empty()) return bad_request("SDRS.2212", "matches is empty");
    for (const rapidjson::Value &mt : matches->GetArray()) {
      const rapidjson::Value *k = mt.IsObject() ? member(mt, "key") : nullptr;
      const rapidjson::Value *v = mt.IsObject() ? member(mt, "value") : nullptr;
      if (k == nullptr || !k->IsString() || k->GetStringLength() == 0) {
        return bad_request("SDRS.2213", "a key inside matches is empty");
      }
      if (std::string(k->GetString()) != "resource_name") {
        return bad_request("SDRS.2214", "only resource_name can be matched");
      }
      if (has_match) return bad_request("SDRS.2215", "resource_name is matched twice");
      if (v == nullptr || v->IsNull()) {
        return bad_request("SDRS.2216", "the value inside matches is null");
      }
      if (!v->IsString() || v->GetStringLength() > 255U * 4) {
        return bad_request("SDRS.2217", "the value inside matches is not valid");
      }
      name_match.assign(v->GetString(), v->GetStringLength());
      has_match = true;
    }
  }
  std::vector<TagCondition> all, any, not_all, not_any;
  const std::pair<const char *, std::vector<TagCondition> *> lists[] = {
      {"tags", &all}, {"tags_any", &any}, {"not_tags", &not_all}, {"not_tags_any", &not_any}};
  for (const auto &l : lists) {
    if (const rapidjson::Value *v = member(d, l.first)) {
      if (!parse_conditions(*v, l.first, l.second, &err)) return err;
    }
  }
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  if (act == "filter") {
    w.Key("resources");
    w.StartArray();
  }
  int64_t total = 0, emitted = 0;
  for (const auto &entry : instances_) {
    const Instance &inst = entry.second;
    if (has_match) {
      // Case-insensitive substring; an empty value means an exact (empty) name (6.8).
      if (name_match.empty()
              ? !inst.name.empty()
              : lower_ascii(inst.name).find(lower_ascii(name_match)) == std::string::npos) {
        continue;
      }
    }
    if (!all.empty() && !has_all(inst.tags, all)) continue;
    if (!any.empty() && !has_any(inst.tags, any)) continue;
    if (!not_all.empty() && has_all(inst.tags, not_all)) continue;
    if (!not_any.empty() && has_any(inst.tags, not_any)) continue;
    total++;
    if (act != "filter" || total <= offset || emitted >= limit) continue;
    emitted++;
    w.StartObject();
    w.Key("resource_id");
    write_str(w, inst.id);
    w.Key("resource_name");
    write_str(w, inst.name);
    w.Key("resource_detail");
    write_instance(w, inst, false);
    w.Key("tags");
    w.StartArray();
    for (const auto &t : inst.tags) {
      w.StartObject();
      w.Key("key");
      write_str(w, t.first);
      w.Key("value");
      write_str(w, t.second);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  if (act == "filter") w.EndArray();
  w.Key("total_count");
  w.Int64(total);
  w.EndObject();
  return Response{200, buffer_text(sb)};
}

}  // namespace emu
