#include "text.h"

#include <stdio.h>

size_t ps_utf8_char(const char *s_)
{
    const unsigned char *s = (const unsigned char *)s_;
    unsigned c = s[0];
    if (c < 0x80) return c ? 1 : 0;
    size_t n;
    unsigned cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0, C1 or F5..FF */
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0; /* the NUL at the end too */
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

static const char *S_problem(const char *text, int label, char *buf, size_t size)
{
    for (size_t i = 0; text[i];) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F) {
            snprintf(buf, size, "has a control character (byte 0x%02x) at byte %zu", c, i + 1);
            return buf;
        }
        if (label && (c == ',' || c == '"')) {
            snprintf(buf, size,
                     "has a %s at byte %zu: a label goes into CSV headers and fields as it is",
                     c == ',' ? "comma" : "double quote", i + 1);
            return buf;
        }
        size_t n = ps_utf8_char(text + i);
        if (n == 0) {
            snprintf(buf, size, "is not valid UTF-8 (byte 0x%02x at byte %zu)", c, i + 1);
            return buf;
        }
        i += n;
    }
    return NULL;
}

const char *ps_text_problem(const char *text, char *buf, size_t size)
{
    return S_problem(text, 0, buf, size);
}

const char *ps_label_problem(const char *text, char *buf, size_t size)
{
    return S_problem(text, 1, buf, size);
}

void ps_text_shown(const char *text, char *buf, size_t size)
{
    size_t k = 0, i = 0;
    while (text[i] && k + 4 < size) {
        if (i >= 40) {
            buf[k++] = '.';
            buf[k++] = '.';
            buf[k++] = '.';
            break;
        }
        size_t n = ps_utf8_char(text + i);
        unsigned char c = (unsigned char)text[i];
        if (n == 0 || c < 0x20 || c == 0x7F) {
            buf[k++] = '?';
            i++;
        } else if (k + n + 4 <= size) {
            for (size_t j = 0; j < n; j++) buf[k++] = text[i + j];
            i += n;
        } else {
            break;
        }
    }
    buf[k] = '\0';
}
