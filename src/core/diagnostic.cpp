#include "core/diagnostic.hpp"

namespace nextguard {

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Note: return "note";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "warning";
}

std::optional<Severity> parse_severity(const std::string& s) {
    if (s == "note" || s == "info") return Severity::Note;
    if (s == "warning" || s == "warn") return Severity::Warning;
    if (s == "error") return Severity::Error;
    return std::nullopt;
}

std::string EntryRef::label() const {
    if (kind == "route" || kind == "api-route") {
        if (name == "default" || name.empty()) return "API route " + url;
        // a key of a route table: "POST /messages" served at `url`
        if (size_t sp = name.find(' '); sp != std::string::npos) return name.substr(0, sp) + " " + url;
        return name + " " + url;
    }
    if (kind == "server-action") return "server action " + name;
    if (kind == "middleware") return "middleware " + file;
    if (kind == "trpc-procedure") return "tRPC procedure " + name;
    return name;
}

}  // namespace nextguard
