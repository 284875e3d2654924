/* src/base/log.h: leveled logging to stderr, for the edges only.
 *
 * Only src/cli and src/web log (see docs/architecture.md); library layers
 * fill a struct kn_error instead. Lines look like
 *   knod: warning: 'knod.ini' line 4: unknown key 'colour'
 * (the level is left out for LOG_ERROR messages printed by the CLI, which
 * prints "knod: error: ..."). Never log a personnummer or a key.
 *
 * The level is process-wide state set once at start (like the config);
 * log_msg() itself is safe to call from several threads. A hook
 * (log_set_hook) also receives every line once it is written: the unit
 * tests use it to check what is logged when.
 */
#ifndef KNOD_BASE_LOG_H
#define KNOD_BASE_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Parse "debug", "info", "warning"/"warn", "error". Returns 0 or KN_EINPUT. */
int log_parse_level(const char *name, enum log_level *out);

bool log_enabled(enum log_level level);

/* fn (NULL: none) gets each line log_msg() writes, without its newline,
 * after it is written, on the thread that wrote it. Set it before the
 * threads that log start, like the level. */
typedef void (*log_hook_fn)(enum log_level level, const char *line);
void log_set_hook(log_hook_fn fn);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif /* KNOD_BASE_LOG_H */
