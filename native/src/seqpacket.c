// SOCK_SEQPACKET unix sockets (conmon's attach socket). Node's net module cannot
// open them, so: connect here, then drive the non-blocking fd with a uv_poll
// handle on Node's own loop. Each received packet goes to JS as one Buffer,
// which keeps conmon's 1-byte stream tag at the start of every chunk.
#include "napi-util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define RECV_BUF 65536
#define MAX_PACKETS_PER_WAKEUP 64

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async_ctx;
  int fd;
  int events;  // current uv_poll interest
  int closing, uv_closed, finalized;
  char buf[RECV_BUF];
} sp_handle;

// Calls the JS callback as callback(event, value) inside the handle's async context.
static void emit(sp_handle *s, const char *event, napi_value value) {
  napi_env env = s->env;
  napi_value cb, global, argv[2], result;
  if (s->closing || napi_get_reference_value(env, s->callback, &cb) != napi_ok || cb == NULL) return;
  napi_get_global(env, &global);
  napi_create_string_utf8(env, event, NAPI_AUTO_LENGTH, &argv[0]);
  argv[1] = value ? value : berth_undefined(env);
  if (napi_make_callback(env, s->async_ctx, global, cb, 2, argv, &result) == napi_pending_exception) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
  }
}

static void on_poll(uv_poll_t *h, int status, int events);

static void restart(sp_handle *s) {
  if (s->closing) return;
  if (s->events) uv_poll_start(&s->poll, s->events, on_poll);
  else uv_poll_stop(&s->poll);
}

static void emit_errno(sp_handle *s, int err, const char *syscall) {
  napi_value exc;
  berth_throw_errno(s->env, err, syscall, NULL);
  napi_get_and_clear_last_exception(s->env, &exc);
  emit(s, "error", exc);
}

static void on_poll(uv_poll_t *h, int status, int events) {
  sp_handle *s = h->data;
  napi_handle_scope scope;
  napi_open_handle_scope(s->env, &scope);
  if (status < 0) {
    s->events = 0;
    restart(s);
    emit_errno(s, -status, "poll");
    goto done;
  }
  if ((events & UV_WRITABLE) && (s->events & UV_WRITABLE)) {
    s->events &= ~UV_WRITABLE;
    restart(s);
    emit(s, "writable", NULL);
  }
  for (int i = 0; i < MAX_PACKETS_PER_WAKEUP && !s->closing && (s->events & UV_READABLE); i++) {
    ssize_t n = recv(s->fd, s->buf, sizeof s->buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      int err = errno;
      s->events &= ~UV_READABLE;
      restart(s);
      emit_errno(s, err, "recv");
      break;
    }
    if (n == 0) {  // peer closed (conmon exited or shut its side)
      s->events &= ~UV_READABLE;
      restart(s);
      emit(s, "end", NULL);
      break;
    }
    napi_value chunk;
    void *dst;
    napi_create_buffer_copy(s->env, (size_t)n, s->buf, &dst, &chunk);
    emit(s, "data", chunk);
  }
done:
  napi_close_handle_scope(s->env, scope);
}

static void on_uv_close(uv_handle_t *h) {
  sp_handle *s = h->data;
  s->uv_closed = 1;
  if (s->finalized) free(s);
}

static void close_handle(sp_handle *s) {
  if (s->closing) return;
  uv_poll_stop(&s->poll);
  s->closing = 1;
  close(s->fd);
  if (s->callback) napi_delete_reference(s->env, s->callback);
  s->callback = NULL;
  napi_async_destroy(s->env, s->async_ctx);
  uv_close((uv_handle_t *)&s->poll, on_uv_close);
}

static void finalize(napi_env env, void *data, void *hint) {
  sp_handle *s = data;
  if (!s->closing) close_handle(s);
  s->finalized = 1;
  if (s->uv_closed) free(s);
}

static sp_handle *get_handle(napi_env env, napi_value v) {
  sp_handle *s = NULL;
  if (napi_get_value_external(env, v, (void **)&s) != napi_ok || !s) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a seqpacket handle");
    return NULL;
  }
  if (s->closing) {
    berth_throw_errno(env, EBADF, "seqpacket", NULL);
    return NULL;
  }
  return s;
}

// seqpacketOpen(fd, callback(event, value)) -> handle. Takes ownership of fd.
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[2], out, name;
  int32_t fd = -1;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "fd must be a non-negative integer");
    return NULL;
  }
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  sp_handle *s = calloc(1, sizeof *s);
  if (!s) return berth_throw_errno(env, ENOMEM, "seqpacketOpen", NULL);
  int rc = uv_poll_init(loop, &s->poll, fd);
  if (rc != 0) {
    free(s);
    return berth_throw_errno(env, -rc, "uv_poll_init", NULL);
  }
  s->poll.data = s;
  s->env = env;
  s->fd = fd;
  napi_create_reference(env, argv[1], 1, &s->callback);
  napi_create_string_utf8(env, "BERTH_SEQPACKET", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &s->async_ctx);
  napi_create_external(env, s, finalize, NULL, &out);
  return out;
}

// seqpacketSetReading(handle, on): start/stop delivering "data" (backpressure).
static napi_value js_set_reading(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  bool on = false;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  sp_handle *s = get_handle(env, argv[0]);
  if (!s) return NULL;
  napi_get_value_bool(env, argv[1], &on);
  s->events = on ? (s->events | UV_READABLE | UV_DISCONNECT) : (s->events & ~(UV_READABLE | UV_DISCONNECT));
  restart(s);
  return berth_undefined(env);
}

// seqpacketWaitWritable(handle): one "writable" event when send may succeed again.
static napi_value js_wait_writable(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  sp_handle *s = get_handle(env, argv[0]);
  if (!s) return NULL;
  s->events |= UV_WRITABLE;
  restart(s);
  return berth_undefined(env);
}

// seqpacketSend(handle, buffer) -> bytes sent, or -1 when the socket is full (EAGAIN).
static napi_value js_send(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  void *data = NULL;
  size_t len = 0;
  bool is_buf = false;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  sp_handle *s = get_handle(env, argv[0]);
  if (!s) return NULL;
  napi_is_buffer(env, argv[1], &is_buf);
  if (!is_buf) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "data must be a Buffer");
    return NULL;
  }
  napi_get_buffer_info(env, argv[1], &data, &len);
  ssize_t n;
  do n = send(s->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return berth_throw_errno(env, errno, "send", NULL);
  napi_create_int64(env, n < 0 ? -1 : (int64_t)n, &out);
  return out;
}

// seqpacketShutdown(handle): no more writes (conmon closes the container's stdin).
static napi_value js_shutdown(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  sp_handle *s = get_handle(env, argv[0]);
  if (!s) return NULL;
  if (shutdown(s->fd, SHUT_WR) != 0 && errno != ENOTCONN) return berth_throw_errno(env, errno, "shutdown", NULL);
  return berth_undefined(env);
}

// seqpacketClose(handle): stop polling and close the fd (idempotent).
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  sp_handle *s = NULL;
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a seqpacket handle");
    return NULL;
  }
  close_handle(s);
  return berth_undefined(env);
}

void berth_register_seqpacket(napi_env env, napi_value exports) {
  berth_register_seqpacket_connect(env, exports);
  berth_export_fn(env, exports, "seqpacketOpen", js_open);
  berth_export_fn(env, exports, "seqpacketSetReading", js_set_reading);
  berth_export_fn(env, exports, "seqpacketWaitWritable", js_wait_writable);
  berth_export_fn(env, exports, "seqpacketSend", js_send);
  berth_export_fn(env, exports, "seqpacketShutdown", js_shutdown);
  berth_export_fn(env, exports, "seqpacketClose", js_close);
}
