// connectSeqpacket: a connected, non-blocking SOCK_SEQPACKET unix socket.
#include "napi-util.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

// connectSeqpacket(path) -> fd (non-blocking, close-on-exec). Paths longer than
// sun_path are reached through /proc/self/fd/<dirfd>/<name>.
static napi_value js_connect(napi_env env, napi_callback_info info) {
  napi_value argv[1], out;
  char path[BERTH_PATH_MAX], dir_copy[BERTH_PATH_MAX], base_copy[BERTH_PATH_MAX];
  if (berth_get_args(env, info, 1, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], path, sizeof path, "path")) return NULL;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  int dirfd = -1;
  if (strlen(path) < sizeof addr.sun_path) {
    strcpy(addr.sun_path, path);
  } else {
    strcpy(dir_copy, path);
    strcpy(base_copy, path);
    dirfd = open(dirname(dir_copy), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) return berth_throw_errno(env, errno, "open", path);
    int n = snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, basename(base_copy));
    if (n < 0 || (size_t)n >= sizeof addr.sun_path) {
      close(dirfd);
      return berth_throw_errno(env, ENAMETOOLONG, "connect", path);
    }
  }
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    if (dirfd >= 0) close(dirfd);
    return berth_throw_errno(env, err, "socket", path);
  }
  int rc;
  do rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
  while (rc != 0 && errno == EINTR);
  int err = errno;
  if (dirfd >= 0) close(dirfd);
  if (rc != 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    if (rc == 0) err = errno;
    close(fd);
    return berth_throw_errno(env, err, "connect", path);
  }
  napi_create_int32(env, fd, &out);
  return out;
}

void berth_register_seqpacket_connect(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "connectSeqpacket", js_connect);
}
