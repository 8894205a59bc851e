/*
 * sd_notify.h - tell systemd the server is ready, reloading or stopping.
 *
 * The NOTIFY_SOCKET protocol of sd_notify(3): one datagram of
 * "KEY=VALUE" lines to the AF_UNIX socket named by $NOTIFY_SOCKET (a
 * path, or an abstract name after '@').  With Type=notify in the unit,
 * systemd starts what depends on helpdex-serve only once it answers.
 * Without $NOTIFY_SOCKET (not under systemd) every call does nothing.
 */
#ifndef HDX_SERVER_SD_NOTIFY_H
#define HDX_SERVER_SD_NOTIFY_H

#include <stdbool.h>

/* Send `state` (e.g. "READY=1\nSTATUS=listening on ..."); best effort:
 * false when $NOTIFY_SOCKET is set but the datagram could not be sent. */
bool sd_notify_send(const char *state);

#endif
