/* Text that reaches the outputs: labels (ids and names that become CSV
 * headers and fields without quotes) and free text (names and descriptions
 * that are quoted where they reach a CSV file), checked where they are
 * read so that every CSV and JSON file stays well formed. */
#ifndef PS_TEXT_H
#define PS_TEXT_H

#include <stddef.h>

/* The bytes of the UTF-8 character at s (1 to 4), or 0 when s does not
 * start a valid one (a stray continuation byte, an overlong form, a
 * surrogate, above U+10FFFF, or cut off by the end of the string). */
size_t ps_utf8_char(const char *s);

/* NULL when text is valid UTF-8 without control characters (free text:
 * commas and quotes are allowed, the writers quote them); otherwise what
 * is wrong with it, e.g. "has a control character (byte 0x0a) at byte 3". */
const char *ps_text_problem(const char *text, char *buf, size_t size);

/* As ps_text_problem, and also refuses a comma or a double quote: a label
 * becomes a CSV header or field as it is (P_A.<system>). */
const char *ps_label_problem(const char *text, char *buf, size_t size);

/* The text for a message: at most 40 bytes, each control character and
 * invalid byte shown as '?'. */
void ps_text_shown(const char *text, char *buf, size_t size);

#endif
