#include "lsp/transport.hpp"

#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <string_view>

namespace nextguard::lsp {

namespace {

constexpr size_t kMaxMessage = size_t{512} << 20;  // 512 MiB: a bigger one is a broken stream

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

bool Transport::fill(bool block) {
    if (eof_) return false;
    if (!block) {
        pollfd p{in_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return true;
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = ::read(in_, chunk, sizeof chunk);
        if (n > 0) {
            buf_.append(chunk, static_cast<size_t>(n));
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        eof_ = true;
        return false;
    }
}

std::optional<std::string> Transport::read() {
    for (;;) {
        // The header block ends with an empty line ("\r\n\r\n"; a bare "\n\n" is accepted).
        size_t end = std::string::npos, body = 0;
        size_t crlf = buf_.find("\r\n\r\n"), lf = buf_.find("\n\n");
        if (crlf != std::string::npos && (lf == std::string::npos || crlf <= lf)) {
            end = crlf;
            body = crlf + 4;
        } else if (lf != std::string::npos) {
            end = lf;
            body = lf + 2;
        }
        if (end == std::string::npos) {
            if (buf_.size() > 64 * 1024) {
                buf_.clear();
                throw FramingError("header block longer than 64 KiB");
            }
            if (!fill(true)) return std::nullopt;
            continue;
        }
        std::optional<size_t> length;
        std::string_view headers(buf_.data(), end);
        while (!headers.empty()) {
            size_t nl = headers.find('\n');
            std::string_view line = headers.substr(0, nl);
            headers = nl == std::string_view::npos ? std::string_view() : headers.substr(nl + 1);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            size_t colon = line.find(':');
            if (colon == std::string_view::npos || !iequals(line.substr(0, colon), "Content-Length")) continue;
            std::string_view v = line.substr(colon + 1);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
            while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
            size_t n = 0;
            bool ok = !v.empty() && v.size() <= 12;
            for (char c : v) {
                if (c < '0' || c > '9')
                    ok = false;
                else
                    n = n * 10 + static_cast<size_t>(c - '0');
            }
            if (ok && n <= kMaxMessage) length = n;
        }
        if (!length) {
            buf_.erase(0, body);
            throw FramingError("message header without a valid Content-Length");
        }
        while (buf_.size() < body + *length)
            if (!fill(true)) return std::nullopt;
        std::string message = buf_.substr(body, *length);
        buf_.erase(0, body + *length);
        return message;
    }
}

bool Transport::pending() {
    if (!buf_.empty()) return true;
    fill(false);
    return !buf_.empty();
}

bool Transport::write(const std::string& body) {
    std::string message = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    size_t done = 0;
    while (done < message.size()) {
        ssize_t n = ::write(out_, message.data() + done, message.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace nextguard::lsp
