#include "analysis/knowledge.hpp"

#include <algorithm>

#include "analysis/facts.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "project/jsonc.hpp"

#include "core/embedded.hpp"

namespace nextguard::analysis {

namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view file, const std::string& path, const std::string& what) {
    throw std::runtime_error("rules/knowledge/" + std::string(file) + ": " + path + ": " + what);
}

void check_keys(std::string_view file, const std::string& path, const json& obj,
                const std::vector<const char*>& allowed) {
    if (!obj.is_object()) fail(file, path, "must be an object");
    for (const auto& [key, _] : obj.items()) {
        bool ok = false;
        for (const char* a : allowed) ok = ok || key == a;
        if (!ok) {
            std::string list;
            for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
            fail(file, path + "." + key, "unknown key (allowed: " + list + ")");
        }
    }
}

std::string str(std::string_view file, const std::string& path, const json& v) {
    if (!v.is_string()) fail(file, path, "must be a string");
    return v.get<std::string>();
}

std::vector<std::string> strings(std::string_view file, const std::string& path, const json& obj, const char* key) {
    std::vector<std::string> out;
    if (!obj.contains(key)) return out;
    const json& v = obj[key];
    if (!v.is_array()) fail(file, path + "." + key, "must be an array of strings");
    for (size_t i = 0; i < v.size(); ++i) out.push_back(str(file, path + "." + key + "[" + std::to_string(i) + "]", v[i]));
    return out;
}

DatabaseKnowledge::Names string_set(std::string_view file, const std::string& path, const json& obj, const char* key) {
    auto v = strings(file, path, obj, key);
    return {v.begin(), v.end()};
}

CallPattern call_pattern(std::string_view file, const std::string& path, const json& v,
                         std::initializer_list<const char*> extra = {}) {
    std::vector<const char*> keys{"function", "method", "factory", "from", "ifImported", "results", "throws"};
    keys.insert(keys.end(), extra.begin(), extra.end());
    check_keys(file, path, v, keys);
    CallPattern p;
    int forms = 0;
    if (v.contains("function")) p.form = CallPattern::Form::Function, p.name = str(file, path + ".function", v["function"]), ++forms;
    if (v.contains("method")) p.form = CallPattern::Form::Method, p.name = str(file, path + ".method", v["method"]), ++forms;
    if (v.contains("factory")) p.form = CallPattern::Form::Factory, p.name = str(file, path + ".factory", v["factory"]), ++forms;
    if (forms != 1) fail(file, path, "needs exactly one of function, method, factory");
    p.from = strings(file, path, v, "from");
    p.if_imported = strings(file, path, v, "ifImported");
    p.results = strings(file, path, v, "results");
    if (v.contains("throws")) {
        if (!v["throws"].is_boolean()) fail(file, path + ".throws", "must be true or false");
        p.throws = v["throws"].get<bool>();
    }
    if (p.form != CallPattern::Form::Method && p.from.empty()) fail(file, path + ".from", "is required for a function or factory");
    if (p.form == CallPattern::Form::Factory && p.results.empty()) fail(file, path + ".results", "is required for a factory");
    return p;
}

/// `{ "method": "checkout.sessions.create", "kind": "payment call", "arg": 0 }`
SinkPattern sink_pattern(std::string_view file, const std::string& path, const json& v) {
    SinkPattern s;
    s.call = call_pattern(file, path, v, {"kind", "arg"});
    if (!v.contains("kind")) fail(file, path + ".kind", "is required (what the sink is: \"payment call\", \"storage key\")");
    s.kind = str(file, path + ".kind", v["kind"]);
    if (v.contains("arg")) {
        if (!v["arg"].is_number_integer() || v["arg"].get<int>() < 0) fail(file, path + ".arg", "must be an argument index");
        s.arg = v["arg"].get<int>();
    }
    return s;
}

std::vector<CallPattern> call_patterns(std::string_view file, const std::string& path, const json& obj, const char* key) {
    std::vector<CallPattern> out;
    if (!obj.contains(key)) return out;
    const json& v = obj[key];
    if (!v.is_array()) fail(file, path + "." + key, "must be an array");
    for (size_t i = 0; i < v.size(); ++i) out.push_back(call_pattern(file, path + "." + key + "[" + std::to_string(i) + "]", v[i]));
    return out;
}

}  // namespace

void Knowledge::add(std::string_view file, std::string_view text) {
    auto parsed = project::parse_jsonc(text);
    if (!parsed.ok) fail(file, "$", "invalid JSON: " + parsed.error);
    const json& j = parsed.value;
    check_keys(file, "$", j, {"library", "packages", "auth", "decoders", "middleware", "webhook", "dispatchers",
                              "sinks", "secretFormats", "cookieSetters", "configs", "limiters", "costly", "validation",
                              "database"});
    Library lib;
    lib.file = std::string(file);
    if (!j.contains("library")) fail(file, "$.library", "is required");
    lib.name = str(file, "$.library", j["library"]);
    lib.packages = strings(file, "$", j, "packages");
    lib.auth = call_patterns(file, "$", j, "auth");
    lib.webhook = call_patterns(file, "$", j, "webhook");
    lib.dispatchers = call_patterns(file, "$", j, "dispatchers");
    lib.decoders = call_patterns(file, "$", j, "decoders");
    lib.configs = call_patterns(file, "$", j, "configs");
    lib.limiters = call_patterns(file, "$", j, "limiters");
    if (j.contains("costly")) {
        if (!j["costly"].is_array()) fail(file, "$.costly", "must be an array");
        for (size_t i = 0; i < j["costly"].size(); ++i)
            lib.costly.push_back(sink_pattern(file, "$.costly[" + std::to_string(i) + "]", j["costly"][i]));
    }
    if (j.contains("secretFormats")) {
        const json& v = j["secretFormats"];
        if (!v.is_array()) fail(file, "$.secretFormats", "must be an array");
        for (size_t i = 0; i < v.size(); ++i) {
            std::string path = "$.secretFormats[" + std::to_string(i) + "]";
            check_keys(file, path, v[i], {"prefix", "what", "minLength", "charset"});
            SecretFormat f;
            if (!v[i].contains("prefix") || !v[i].contains("what")) fail(file, path, "needs prefix and what");
            f.prefix = str(file, path + ".prefix", v[i]["prefix"]);
            f.what = str(file, path + ".what", v[i]["what"]);
            if (f.prefix.size() < 3) fail(file, path + ".prefix", "is too short to tell a secret");
            if (v[i].contains("minLength")) {
                if (!v[i]["minLength"].is_number_integer() || v[i]["minLength"].get<int>() < 8)
                    fail(file, path + ".minLength", "must be an integer of 8 or more");
                f.min_length = v[i]["minLength"].get<size_t>();
            }
            if (v[i].contains("charset")) {
                f.charset = str(file, path + ".charset", v[i]["charset"]);
                if (f.charset != "alnum" && f.charset != "word" && f.charset != "upper")
                    fail(file, path + ".charset", "must be alnum, word or upper");
            }
            lib.secret_formats.push_back(std::move(f));
        }
    }
    if (j.contains("sinks")) {
        if (!j["sinks"].is_array()) fail(file, "$.sinks", "must be an array");
        for (size_t i = 0; i < j["sinks"].size(); ++i)
            lib.sinks.push_back(sink_pattern(file, "$.sinks[" + std::to_string(i) + "]", j["sinks"][i]));
    }
    if (j.contains("cookieSetters")) {
        const json& v = j["cookieSetters"];
        if (!v.is_array()) fail(file, "$.cookieSetters", "must be an array");
        for (size_t i = 0; i < v.size(); ++i) {
            std::string path = "$.cookieSetters[" + std::to_string(i) + "]";
            CookieSetter c;
            c.call = call_pattern(file, path, v[i], {"name", "value", "options"});
            for (auto [key, slot] : {std::pair{"name", &c.name}, {"value", &c.value}, {"options", &c.options}}) {
                if (!v[i].contains(key)) continue;
                if (!v[i][key].is_number_integer() || v[i][key].get<int>() < 0)
                    fail(file, path + "." + key, "must be an argument index");
                *slot = v[i][key].get<int>();
            }
            lib.cookie_setters.push_back(std::move(c));
        }
    }
    if (j.contains("middleware")) {
        const json& m = j["middleware"];
        if (!m.is_array()) fail(file, "$.middleware", "must be an array");
        for (size_t i = 0; i < m.size(); ++i) {
            std::string path = "$.middleware[" + std::to_string(i) + "]";
            check_keys(file, path, m[i], {"function", "from", "reexport", "when"});
            MiddlewarePattern p;
            if (m[i].contains("function")) p.function = str(file, path + ".function", m[i]["function"]);
            if (m[i].contains("reexport")) p.reexport = str(file, path + ".reexport", m[i]["reexport"]);
            p.from = strings(file, path, m[i], "from");
            p.when = strings(file, path, m[i], "when");
            if (p.function.empty() == p.reexport.empty()) fail(file, path, "needs exactly one of function, reexport");
            lib.middleware.push_back(std::move(p));
        }
    }
    if (j.contains("validation")) {
        const json& v = j["validation"];
        check_keys(file, "$.validation", v, {"schemaFrom", "schemaMethods", "functions", "callableSchemaFactories"});
        lib.has_validation = true;
        lib.validation.schema_from = strings(file, "$.validation", v, "schemaFrom");
        lib.validation.schema_methods = strings(file, "$.validation", v, "schemaMethods");
        lib.validation.functions = call_patterns(file, "$.validation", v, "functions");
        lib.validation.callable_factories = call_patterns(file, "$.validation", v, "callableSchemaFactories");
    }
    if (j.contains("database")) {
        const json& d = j["database"];
        check_keys(file, "$.database", d,
                   {"style", "list", "read", "write", "aggregate", "limitArgs", "limitMethods", "transaction", "raw", "uniqueWhere", "filters"});
        lib.has_database = true;
        auto& db = lib.database;
        if (!d.contains("style")) fail(file, "$.database.style", "is required");
        db.style = str(file, "$.database.style", d["style"]);
        static const std::set<std::string> styles = {"prisma", "drizzle", "supabase", "kysely", "mongoose", "typeorm"};
        if (!styles.count(db.style)) fail(file, "$.database.style", "unknown style '" + db.style + "'");
        db.list = string_set(file, "$.database", d, "list");
        db.read = string_set(file, "$.database", d, "read");
        db.write = string_set(file, "$.database", d, "write");
        db.aggregate = string_set(file, "$.database", d, "aggregate");
        db.limit_args = string_set(file, "$.database", d, "limitArgs");
        db.limit_methods = string_set(file, "$.database", d, "limitMethods");
        db.transaction = string_set(file, "$.database", d, "transaction");
        db.raw = string_set(file, "$.database", d, "raw");
        db.unique_where = string_set(file, "$.database", d, "uniqueWhere");
        db.filters = string_set(file, "$.database", d, "filters");
    }
    for (const auto& other : libraries)
        if (other.name == lib.name) fail(file, "$.library", "'" + lib.name + "' is also defined in " + other.file);
    libraries.push_back(std::move(lib));
    merge();
}

void Knowledge::merge() {
    validation_ = {};
    for (const auto& lib : libraries) {
        if (!lib.has_validation) continue;
        const auto& v = lib.validation;
        validation_.schema_methods.insert(v.schema_methods.begin(), v.schema_methods.end());
        for (const auto& f : v.functions) {
            validation_.validator_functions.push_back(&f);
            validation_.validator_names.insert(f.name);
            validation_.schema_modules.insert(f.from.begin(), f.from.end());
        }
        for (const auto& f : v.callable_factories) validation_.schema_factories.push_back(&f);
        validation_.schema_modules.insert(v.schema_from.begin(), v.schema_from.end());
    }
    merged_.clear();
    db_methods_ = {"from", "execute"};  // Drizzle/Supabase chains, Kysely transactions
    for (const auto& lib : libraries) {
        if (!lib.has_database) continue;
        DatabaseKnowledge* target = nullptr;
        for (auto& m : merged_)
            if (m.style == lib.database.style) target = &m;
        if (!target) {
            merged_.push_back({});
            target = &merged_.back();
            target->style = lib.database.style;
        }
        const auto& d = lib.database;
        target->list.insert(d.list.begin(), d.list.end());
        target->read.insert(d.read.begin(), d.read.end());
        target->write.insert(d.write.begin(), d.write.end());
        target->aggregate.insert(d.aggregate.begin(), d.aggregate.end());
        target->limit_args.insert(d.limit_args.begin(), d.limit_args.end());
        target->limit_methods.insert(d.limit_methods.begin(), d.limit_methods.end());
        target->transaction.insert(d.transaction.begin(), d.transaction.end());
        target->raw.insert(d.raw.begin(), d.raw.end());
        target->unique_where.insert(d.unique_where.begin(), d.unique_where.end());
        target->filters.insert(d.filters.begin(), d.filters.end());
        for (const auto* set : {&d.list, &d.read, &d.write, &d.aggregate, &d.transaction, &d.raw})
            for (const auto& m : *set) db_methods_.insert(m.substr(m.rfind('.') == std::string::npos ? 0 : m.rfind('.') + 1));
    }
}

const DatabaseKnowledge* Knowledge::database(std::string_view style) const {
    for (const auto& m : merged_)
        if (m.style == style) return &m;
    return nullptr;
}

const Knowledge& Knowledge::builtin() {
    static const Knowledge k = [] {
        Knowledge out;
        for (const auto& f : embedded_knowledge()) out.add(f.name, f.content);
        return out;
    }();
    return k;
}

bool calls_pattern(const CallPattern& p, std::string_view loose, const std::vector<Import>& imports, bool any_file) {
    auto import_of = [&](std::string_view local) -> const Import* {
        for (const auto& imp : imports)
            if (imp.local == local) return &imp;
        return nullptr;
    };
    auto from = [&](const Import* imp) {
        return imp && std::find(p.from.begin(), p.from.end(), imp->specifier) != p.from.end();
    };
    if (p.form == CallPattern::Form::Function) {
        size_t dot = loose.find('.');
        // `sql.raw` of "drizzle-orm": the member `raw` of the named import `sql`, whatever
        // the file calls it (`import { sql as ksql } from "kysely"`)
        if (size_t pdot = p.name.find('.'); pdot != std::string::npos) {
            if (dot == std::string_view::npos || loose.substr(dot + 1) != std::string_view(p.name).substr(pdot + 1))
                return false;
            const Import* imp = import_of(loose.substr(0, dot));
            return from(imp) && imp->imported == std::string_view(p.name).substr(0, pdot);
        }
        if (dot == std::string_view::npos) {
            const Import* imp = import_of(loose);
            return from(imp) && (imp->imported == p.name || (imp->imported == "default" && p.name == "default"));
        }
        if (loose.substr(dot + 1) != p.name) return false;
        const Import* imp = import_of(loose.substr(0, dot));
        return from(imp) && (imp->imported == "*" || imp->imported == "default");
    }
    if (p.form != CallPattern::Form::Method) return false;
    if (!(loose == p.name ||
          (loose.size() > p.name.size() && loose.ends_with(p.name) && loose[loose.size() - p.name.size() - 1] == '.')))
        return false;
    if (p.if_imported.empty() || any_file) return true;
    return std::any_of(imports.begin(), imports.end(), [&](const Import& imp) {
        return std::find(p.if_imported.begin(), p.if_imported.end(), imp.specifier) != p.if_imported.end();
    });
}

}  // namespace nextguard::analysis
