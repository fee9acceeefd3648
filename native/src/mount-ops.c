// mount(2) and umount2(2). mount can run with a private working directory:
// overlayfs resolves relative lowerdir paths against the caller's cwd, and short
// relative names keep the option string within one page for deep images. The
// cwd is per process, so the mount runs on a helper thread that unshares its
// fs struct (CLONE_FS) and chdirs there: Node's own cwd never changes.
#include "napi-util.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define MOUNT_DATA_MAX 65536

struct mount_job {
  const char *source, *target, *fstype, *data, *cwd;
  unsigned long flags;
  int err;
};

static void run_mount(struct mount_job *job) {
  job->err = mount(job->source, job->target, job->fstype, job->flags, job->data) == 0 ? 0 : errno;
}

static void *mount_thread(void *arg) {
  struct mount_job *job = arg;
  if (unshare(CLONE_FS) != 0 || chdir(job->cwd) != 0) {
    job->err = errno;
    return NULL;
  }
  run_mount(job);
  return NULL;
}

// Optional string argument: null/undefined → NULL pointer.
static int get_opt_string(napi_env env, napi_value v, char *buf, size_t len, const char *what, char **out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) {
    *out = NULL;
    return 0;
  }
  if (berth_get_string(env, v, buf, len, what)) return -1;
  *out = buf;
  return 0;
}

// mount(source|null, target, fstype|null, flags, data|null, cwd?)
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 5) {
    napi_throw_type_error(env, "ERR_MISSING_ARGS", "mount(source, target, fstype, flags, data[, cwd])");
    return NULL;
  }
  char source_buf[BERTH_PATH_MAX], target[BERTH_PATH_MAX], fstype_buf[256], cwd_buf[BERTH_PATH_MAX];
  char *source = NULL, *fstype = NULL, *data = NULL, *cwd = NULL;
  int64_t flags = 0;
  char *data_buf = malloc(MOUNT_DATA_MAX);
  napi_value result = NULL;
  if (!data_buf) return berth_throw_errno(env, ENOMEM, "mount", NULL);
  if (get_opt_string(env, argv[0], source_buf, sizeof source_buf, "source", &source) ||
      berth_get_string(env, argv[1], target, sizeof target, "target") ||
      get_opt_string(env, argv[2], fstype_buf, sizeof fstype_buf, "fstype", &fstype) ||
      berth_get_int64(env, argv[3], &flags, "flags") ||
      get_opt_string(env, argv[4], data_buf, MOUNT_DATA_MAX, "data", &data) ||
      (argc > 5 && get_opt_string(env, argv[5], cwd_buf, sizeof cwd_buf, "cwd", &cwd)))
    goto out;
  if (data && !data[0]) data = NULL;
  struct mount_job job = {source, target, fstype, data, cwd, (unsigned long)flags, 0};
  if (cwd) {
    pthread_t th;
    int rc = pthread_create(&th, NULL, mount_thread, &job);
    if (rc != 0) {
      berth_throw_errno(env, rc, "pthread_create", NULL);
      goto out;
    }
    pthread_join(th, NULL);
  } else {
    run_mount(&job);
  }
  if (job.err != 0) {
    berth_throw_errno(env, job.err, "mount", target);
    goto out;
  }
  result = berth_undefined(env);
out:
  free(data_buf);
  return result;
}

// umount2(target, flags)
static napi_value js_umount2(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char target[BERTH_PATH_MAX];
  int64_t flags = 0;
  if (berth_get_args(env, info, 2, argv, NULL)) return NULL;
  if (berth_get_string(env, argv[0], target, sizeof target, "target")) return NULL;
  if (berth_get_int64(env, argv[1], &flags, "flags")) return NULL;
  if (umount2(target, (int)flags) != 0) return berth_throw_errno(env, errno, "umount2", target);
  return berth_undefined(env);
}

void berth_register_mount_ops(napi_env env, napi_value exports) {
  berth_export_fn(env, exports, "mount", js_mount);
  berth_export_fn(env, exports, "umount2", js_umount2);
}
