/* src/base/log.c: one formatted line per call, written with one fputs so
 * lines from two threads do not interleave. */
#include "base/log.h"

#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum log_level log_level = LOG_INFO;
static log_hook_fn log_hook;

void log_set_hook(log_hook_fn fn)
{
    log_hook = fn;
}

void log_set_level(enum log_level level)
{
    log_level = level;
}

enum log_level log_get_level(void)
{
    return log_level;
}

int log_parse_level(const char *name, enum log_level *out)
{
    static const struct { const char *name; enum log_level level; } names[] = {
        { "debug", LOG_DEBUG }, { "info", LOG_INFO }, { "warning", LOG_WARN },
        { "warn", LOG_WARN },   { "error", LOG_ERROR },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].level;
            return 0;
        }
    }
    return KN_EINPUT;
}

bool log_enabled(enum log_level level)
{
    return level >= log_level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = { "debug: ", "", "warning: ", "error: " };
    char line[1024];
    va_list ap;

    if (!log_enabled(level))
        return;
    int n = snprintf(line, sizeof line, "knod: %s", prefix[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
    if (log_hook) {
        line[len] = '\0';
        log_hook(level, line);
    }
}
