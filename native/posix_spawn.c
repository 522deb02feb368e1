// The C library calls of actors/posix-spawn.ts, as a Node-API addon of its own. koffi (a general
// FFI) does the same job, but its own library, its allocations and the pages of the node binary's
// symbol tables that binding its ~160 imports faults in cost the daemon ~1.4 MiB more, kept for
// its whole life (docs/benchmarks.md). This addon binds 23. Each function takes and returns what
// the C call does (buffers for the opaque structures, Int32Arrays for the out-parameters);
// errno() is the errno left by the last call made through here, as koffi's is.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int last_errno = 0;

#define MAX_ARGS 6
#define CHECK(call)                                                                                                    \
  do {                                                                                                                 \
    if ((call) != napi_ok) return NULL;                                                                                \
  } while (0)

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value number(napi_env env, int value) {
  napi_value result;
  CHECK(napi_create_int32(env, value, &result));
  return result;
}

/** The call's arguments; false (with a TypeError thrown) when there are fewer than `wanted`. */
static bool arguments(napi_env env, napi_callback_info info, size_t wanted, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < wanted) {
    fail(env, "too few arguments");
    return false;
  }
  return true;
}

static bool int_arg(napi_env env, napi_value value, int32_t *out) {
  if (napi_get_value_int32(env, value, out) == napi_ok) return true;
  fail(env, "an integer was expected");
  return false;
}

/** The memory of a Buffer or typed array of at least `size` bytes. */
static bool bytes_arg(napi_env env, napi_value value, size_t size, void **out) {
  bool is_typed = false;
  size_t length = 0;
  if (napi_is_typedarray(env, value, &is_typed) == napi_ok && is_typed) {
    napi_typedarray_type type;
    size_t count;
    napi_value buffer;
    size_t offset;
    if (napi_get_typedarray_info(env, value, &type, &count, out, &buffer, &offset) == napi_ok) {
      size_t unit = type == napi_int32_array || type == napi_uint32_array ? 4 : type == napi_uint8_array || type == napi_int8_array ? 1 : 0;
      length = count * unit;
    }
  }
  if (length >= size && *out != NULL) return true;
  fail(env, "a Buffer or Int32Array large enough for the structure was expected");
  return false;
}

/** A copy of a JS string as a C string (malloc'd); NULL with a TypeError thrown when it is not one. */
static char *string_arg(napi_env env, napi_value value) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    fail(env, "a string was expected");
    return NULL;
  }
  char *copy = malloc(length + 1);
  if (copy == NULL) {
    fail(env, "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, value, copy, length + 1, &length);
  return copy;
}

static void free_strings(char **strings) {
  if (strings == NULL) return;
  for (char **each = strings; *each != NULL; each += 1) free(*each);
  free(strings);
}

/** An array of strings ending in null, as argv and envp are: a NULL-terminated copy. */
static char **strings_arg(napi_env env, napi_value array) {
  uint32_t count;
  if (napi_get_array_length(env, array, &count) != napi_ok) {
    fail(env, "an array of strings was expected");
    return NULL;
  }
  char **strings = calloc(count + 1, sizeof(char *));
  if (strings == NULL) {
    fail(env, "out of memory");
    return NULL;
  }
  for (uint32_t index = 0; index < count; index += 1) {
    napi_value element;
    napi_valuetype type;
    if (napi_get_element(env, array, index, &element) != napi_ok || napi_typeof(env, element, &type) != napi_ok) break;
    if (type == napi_null) break;
    strings[index] = string_arg(env, element);
    if (strings[index] == NULL) {
      free_strings(strings);
      return NULL;
    }
  }
  return strings;
}

/** What a posix_spawn call needs, copied out of its JS arguments. */
typedef struct {
  int32_t *pid;
  char *path;
  posix_spawn_file_actions_t *actions;
  posix_spawnattr_t *attr;
  char **argv;
  char **envp;
} spawn_call;

static void free_call(spawn_call *call) {
  free(call->path);
  free_strings(call->argv);
  free_strings(call->envp);
}

static bool spawn_arguments(napi_env env, napi_value *argv, spawn_call *call) {
  memset(call, 0, sizeof *call);
  if (!bytes_arg(env, argv[0], sizeof(int32_t), (void **)&call->pid)) return false;
  if (!bytes_arg(env, argv[2], sizeof(posix_spawn_file_actions_t), (void **)&call->actions)) return false;
  if (!bytes_arg(env, argv[3], sizeof(posix_spawnattr_t), (void **)&call->attr)) return false;
  if ((call->path = string_arg(env, argv[1])) != NULL && (call->argv = strings_arg(env, argv[4])) != NULL &&
      (call->envp = strings_arg(env, argv[5])) != NULL)
    return true;
  free_call(call);
  return false;
}

static int run_spawn(spawn_call *call) {
  pid_t pid = 0;
  int result = posix_spawn(&pid, call->path, call->actions, call->attr, call->argv, call->envp);
  *call->pid = pid;
  return result;
}

static napi_value Spawn(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  spawn_call call;
  if (!arguments(env, info, 6, argv) || !spawn_arguments(env, argv, &call)) return NULL;
  int result = run_spawn(&call);
  free_call(&call);
  return number(env, result);
}

/** A spawn on a worker thread: its buffers are held by references until it has ended. */
typedef struct {
  spawn_call call;
  int result;
  napi_ref held[4];
  napi_async_work work;
} async_spawn;

static void spawn_on_worker(napi_env env, void *data) {
  (void)env;
  async_spawn *spawn = data;
  spawn->result = run_spawn(&spawn->call);
}

static void spawn_ended(napi_env env, napi_status status, void *data) {
  async_spawn *spawn = data;
  napi_value callback, global, args[2], ignored;
  if (napi_get_reference_value(env, spawn->held[3], &callback) == napi_ok && napi_get_global(env, &global) == napi_ok) {
    if (status == napi_ok) {
      napi_get_null(env, &args[0]);
    } else {
      napi_value message;
      napi_create_string_utf8(env, "the spawn did not run", NAPI_AUTO_LENGTH, &message);
      napi_create_error(env, NULL, message, &args[0]);
    }
    napi_create_int32(env, spawn->result, &args[1]);
    napi_call_function(env, global, callback, 2, args, &ignored);
  }
  for (int index = 0; index < 4; index += 1) napi_delete_reference(env, spawn->held[index]);
  napi_delete_async_work(env, spawn->work);
  free_call(&spawn->call);
  free(spawn);
}

static napi_value SpawnAsync(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS + 1];
  size_t argc = MAX_ARGS + 1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype type = napi_undefined;
  if (argc < 7 || napi_typeof(env, argv[6], &type) != napi_ok || type != napi_function) return fail(env, "a callback was expected");
  async_spawn *spawn = calloc(1, sizeof *spawn);
  if (spawn == NULL) return fail(env, "out of memory");
  if (!spawn_arguments(env, argv, &spawn->call)) {
    free(spawn);
    return NULL;
  }
  napi_value name;
  const napi_value kept[4] = {argv[0], argv[2], argv[3], argv[6]};
  for (int index = 0; index < 4; index += 1) napi_create_reference(env, kept[index], 1, &spawn->held[index]);
  if (napi_create_string_utf8(env, "posix_spawn", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, spawn_on_worker, spawn_ended, spawn, &spawn->work) != napi_ok ||
      napi_queue_async_work(env, spawn->work) != napi_ok) {
    for (int index = 0; index < 4; index += 1) napi_delete_reference(env, spawn->held[index]);
    free_call(&spawn->call);
    free(spawn);
    return fail(env, "the spawn could not be queued");
  }
  return NULL;
}

/** Functions of one buffer: the *_init and *_destroy calls. */
#define ONE_BUFFER(name, type, call)                                                                                   \
  static napi_value name(napi_env env, napi_callback_info info) {                                                      \
    napi_value argv[MAX_ARGS];                                                                                         \
    void *structure;                                                                                                   \
    if (!arguments(env, info, 1, argv) || !bytes_arg(env, argv[0], sizeof(type), &structure)) return NULL;             \
    return number(env, call((type *)structure));                                                                       \
  }

ONE_BUFFER(ActionsInit, posix_spawn_file_actions_t, posix_spawn_file_actions_init)
ONE_BUFFER(ActionsDestroy, posix_spawn_file_actions_t, posix_spawn_file_actions_destroy)
ONE_BUFFER(AttrInit, posix_spawnattr_t, posix_spawnattr_init)

static napi_value AddDup2(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *actions;
  int32_t fd, new_fd;
  if (!arguments(env, info, 3, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawn_file_actions_t), &actions) ||
      !int_arg(env, argv[1], &fd) || !int_arg(env, argv[2], &new_fd))
    return NULL;
  return number(env, posix_spawn_file_actions_adddup2(actions, fd, new_fd));
}

static napi_value AddOpen(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *actions;
  int32_t fd, flags, mode;
  if (!arguments(env, info, 5, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawn_file_actions_t), &actions) ||
      !int_arg(env, argv[1], &fd) || !int_arg(env, argv[3], &flags) || !int_arg(env, argv[4], &mode))
    return NULL;
  char *path = string_arg(env, argv[2]);
  if (path == NULL) return NULL;
  int result = posix_spawn_file_actions_addopen(actions, fd, path, flags, (mode_t)mode);
  free(path);
  return number(env, result);
}

static napi_value AddChdir(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *actions;
  if (!arguments(env, info, 2, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawn_file_actions_t), &actions)) return NULL;
  char *path = string_arg(env, argv[1]);
  if (path == NULL) return NULL;
  int result = posix_spawn_file_actions_addchdir_np(actions, path);
  free(path);
  return number(env, result);
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define HAVE_CLOSEFROM 1
static napi_value AddCloseFrom(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *actions;
  int32_t low_fd;
  if (!arguments(env, info, 2, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawn_file_actions_t), &actions) ||
      !int_arg(env, argv[1], &low_fd))
    return NULL;
  return number(env, posix_spawn_file_actions_addclosefrom_np(actions, low_fd));
}
#endif

static napi_value AttrSetFlags(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *attr;
  int32_t flags;
  if (!arguments(env, info, 2, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawnattr_t), &attr) || !int_arg(env, argv[1], &flags))
    return NULL;
  return number(env, posix_spawnattr_setflags(attr, (short)flags));
}

/** posix_spawnattr_setsigdefault and _setsigmask: an attribute and a sigset_t. */
#define ATTR_SIGSET(name, call)                                                                                        \
  static napi_value name(napi_env env, napi_callback_info info) {                                                      \
    napi_value argv[MAX_ARGS];                                                                                         \
    void *attr, *set;                                                                                                  \
    if (!arguments(env, info, 2, argv) || !bytes_arg(env, argv[0], sizeof(posix_spawnattr_t), &attr) ||                \
        !bytes_arg(env, argv[1], sizeof(sigset_t), &set))                                                              \
      return NULL;                                                                                                     \
    return number(env, call(attr, set));                                                                               \
  }

ATTR_SIGSET(AttrSetSigDefault, posix_spawnattr_setsigdefault)
ATTR_SIGSET(AttrSetSigMask, posix_spawnattr_setsigmask)

/** The result of a call that sets errno, which errno() then gives. */
static napi_value with_errno(napi_env env, int result) {
  last_errno = errno;
  return number(env, result);
}

static napi_value SocketPair(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t domain, type, protocol;
  void *fds;
  if (!arguments(env, info, 4, argv) || !int_arg(env, argv[0], &domain) || !int_arg(env, argv[1], &type) ||
      !int_arg(env, argv[2], &protocol) || !bytes_arg(env, argv[3], 2 * sizeof(int), &fds))
    return NULL;
  return with_errno(env, socketpair(domain, type, protocol, fds));
}

static napi_value Pipe2(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  void *fds;
  int32_t flags;
  if (!arguments(env, info, 2, argv) || !bytes_arg(env, argv[0], 2 * sizeof(int), &fds) || !int_arg(env, argv[1], &flags)) return NULL;
  return with_errno(env, pipe2(fds, flags));
}

/** fcntl(fd, cmd, 'int', value), koffi's way of passing a variadic argument: only int ones are needed. */
static napi_value Fcntl(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd, cmd, value;
  if (!arguments(env, info, 4, argv) || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[1], &cmd) || !int_arg(env, argv[3], &value))
    return NULL;
  return with_errno(env, fcntl(fd, cmd, value));
}

static napi_value WaitPid(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t pid, options;
  void *status;
  if (!arguments(env, info, 3, argv) || !int_arg(env, argv[0], &pid) || !bytes_arg(env, argv[1], sizeof(int), &status) ||
      !int_arg(env, argv[2], &options))
    return NULL;
  return with_errno(env, waitpid(pid, status, options));
}

static napi_value WaitId(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t id_type, id, options;
  void *siginfo;
  if (!arguments(env, info, 4, argv) || !int_arg(env, argv[0], &id_type) || !int_arg(env, argv[1], &id) ||
      !bytes_arg(env, argv[2], sizeof(siginfo_t), &siginfo) || !int_arg(env, argv[3], &options))
    return NULL;
  return with_errno(env, waitid((idtype_t)id_type, (id_t)id, siginfo, options));
}

static napi_value Close(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int32_t fd;
  if (!arguments(env, info, 1, argv) || !int_arg(env, argv[0], &fd)) return NULL;
  return with_errno(env, close(fd));
}

static napi_value Errno(napi_env env, napi_callback_info info) {
  (void)info;
  return number(env, last_errno);
}

#define FUNCTION(name, function) {name, NULL, function, NULL, NULL, NULL, napi_enumerable, NULL}

NAPI_MODULE_INIT() {
  const napi_property_descriptor functions[] = {
      FUNCTION("posix_spawn", Spawn),
      FUNCTION("posixSpawnAsync", SpawnAsync),
      FUNCTION("actionsInit", ActionsInit),
      FUNCTION("actionsDestroy", ActionsDestroy),
      FUNCTION("addDup2", AddDup2),
      FUNCTION("addOpen", AddOpen),
      FUNCTION("addChdir", AddChdir),
#ifdef HAVE_CLOSEFROM
      FUNCTION("addCloseFrom", AddCloseFrom),
#endif
      FUNCTION("attrInit", AttrInit),
      FUNCTION("attrSetFlags", AttrSetFlags),
      FUNCTION("attrSetSigDefault", AttrSetSigDefault),
      FUNCTION("attrSetSigMask", AttrSetSigMask),
      FUNCTION("socketpair", SocketPair),
      FUNCTION("pipe2", Pipe2),
      FUNCTION("fcntl", Fcntl),
      FUNCTION("waitpid", WaitPid),
      FUNCTION("waitid", WaitId),
      FUNCTION("close", Close),
      FUNCTION("errno", Errno),
  };
  napi_value si_pid_index;
  CHECK(napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions));
  CHECK(napi_create_int32(env, (int)(offsetof(siginfo_t, si_pid) / sizeof(int32_t)), &si_pid_index));
  CHECK(napi_set_named_property(env, exports, "siPidIndex", si_pid_index));
  return exports;
}
