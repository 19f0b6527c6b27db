/* loopaddr.h - the loopback address of a family, for tests that open
 * real sockets. */
#ifndef SOCKVIEW_TESTS_LOOPADDR_H
#define SOCKVIEW_TESTS_LOOPADDR_H

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* Fills ss with 127.0.0.1 (AF_INET) or ::1 (otherwise) and port; returns
 * the length to pass to bind or connect. */
static inline socklen_t loopaddr(int family, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*a);
	}
	{
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
}

#endif
