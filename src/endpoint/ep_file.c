/* ep_file.c - a stream client sends a file's bytes (issue 16: send a file).
 *
 * The file is read a piece at a time as the client's output queue has
 * room: endpoint_handle() and endpoint_tick() call ep_file_pump() after
 * the transport ran, so a large file goes out through the one poll loop,
 * with the queue's back-pressure, and never blocks it. Only regular files
 * (a FIFO or a device could block or have side effects on open), at most
 * EP_FILE_MAX bytes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ep_base.h"
#include "i18n.h"
#include "xalloc.h"

#define EP_FILE_CHUNK 16384

struct ep_file {
	int fd;
	uint64_t size, sent;
};

void ep_file_stop(struct endpoint *ep)
{
	if (!ep->file)
		return;
	close(ep->file->fd);
	free(ep->file);
	ep->file = NULL;
}

bool endpoint_sending_file(const struct endpoint *ep)
{
	return ep->file != NULL;
}

/* Room in the client's output queue (0: none, or no connection). */
static size_t out_room(const struct endpoint *ep)
{
	const struct ep_peer *p = ep->npeers ? ep->peers[0] : NULL;

	if (!p || p->dead || p->shut_wr)
		return 0;
	return buf_room(&p->out);
}

void ep_file_pump(struct endpoint *ep)
{
	char chunk[EP_FILE_CHUNK];
	size_t room;

	while (ep->file && ep->file->sent < ep->file->size) {
		struct ep_file *f = ep->file;
		uint64_t left = f->size - f->sent;
		size_t want;
		ssize_t n;

		if (ep->state != EP_STATE_READY && ep->state != EP_STATE_CONNECTING) {
			ep_note(ep, TR_ERROR, NULL, 0,
				_("file not sent in full: the connection ended after %llu of %llu "
				  "bytes"), (unsigned long long)f->sent, (unsigned long long)f->size);
			ep_file_stop(ep);
			return;
		}
		room = out_room(ep);
		if (!room)
			return; /* the queue drains first: called again then */
		want = room < sizeof(chunk) ? room : sizeof(chunk);
		if (left < want)
			want = (size_t)left;
		n = read(f->fd, chunk, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ep_note(ep, TR_ERROR, NULL, 0,
				_("file not sent in full: %s after %llu of %llu bytes"),
				n < 0 ? strerror(errno) : _("it became shorter"),
				(unsigned long long)f->sent, (unsigned long long)f->size);
			ep_file_stop(ep);
			return;
		}
		if (endpoint_send(ep, chunk, (size_t)n) < 0) {
			ep_note(ep, TR_ERROR, NULL, 0,
				_("file not sent in full: %llu of %llu bytes went"),
				(unsigned long long)f->sent, (unsigned long long)f->size);
			ep_file_stop(ep);
			return;
		}
		f->sent += (uint64_t)n;
	}
	if (ep->file) {
		ep_note(ep, TR_INFO, NULL, 0, _("file queued in full: %llu bytes"),
			(unsigned long long)ep->file->size);
		ep_file_stop(ep);
	}
}

int endpoint_send_file(struct endpoint *ep, const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (ep->cfg.kind != EP_CLIENT || ep->ops != &ep_stream_ops || ep->lab) {
		snprintf(err, errlen, "%s", _("only a stream client (TCP, Unix stream) sends files"));
		errno = EOPNOTSUPP;
		return -1;
	}
	if (ep->state != EP_STATE_READY && ep->state != EP_STATE_CONNECTING) {
		snprintf(err, errlen, "%s", _("not connected"));
		errno = ENOTCONN;
		return -1;
	}
	if (ep->file) {
		snprintf(err, errlen, "%s", _("a file is being sent already"));
		errno = EBUSY;
		return -1;
	}
	/* look before opening: opening a FIFO or a device may block or act */
	if (lstat(path, &st) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s",
			 S_ISDIR(st.st_mode)    ? _("a directory, not a regular file")
			 : S_ISFIFO(st.st_mode) ? _("a FIFO, not a regular file")
			 : S_ISLNK(st.st_mode)  ? _("a symbolic link: give the file it points to")
			 : (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
				? _("a device, not a regular file")
				: _("not a regular file"));
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s", _("not a regular file"));
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if ((uint64_t)st.st_size > EP_FILE_MAX) {
		snprintf(err, errlen, _("too big: %llu bytes (at most %u MiB)"),
			 (unsigned long long)st.st_size, EP_FILE_MAX >> 20);
		close(fd);
		errno = EFBIG;
		return -1;
	}
	ep->file = xcalloc(1, sizeof(*ep->file));
	ep->file->fd = fd;
	ep->file->size = (uint64_t)st.st_size;
	ep_note(ep, TR_INFO, NULL, 0, _("sending a file: %llu bytes"),
		(unsigned long long)ep->file->size);
	ep_file_pump(ep);
	return 0;
}
