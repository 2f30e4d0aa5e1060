// SPDX-License-Identifier: MIT
/*
 * ext_socket - a tiny CPython extension that makes system calls itself, so
 * that the native unwinder (unwinder/native.c) has a C extension to find
 * between libc and the interpreter (tests/e2e/test_native.py,
 * tests/unit/test_uw_native.c).
 *
 *   ext_socket.socket(family, type, proto) -> fd    socket(2), three calls deep
 *   ext_socket.read(fd, n) -> bytes                 read(2), three calls deep,
 *                                                   GIL released
 *
 * The calls are kept out of line and not in tail position (the empty asm
 * after each one), so every level keeps a frame of its own: a tail call
 * would leave no frame of the extension between libc and the interpreter.
 * Builds against any CPython 3.8+ (build.sh).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#define KEEP_FRAME() __asm__ volatile("" ::: "memory")

static __attribute__((noinline)) int level3_socket(int family, int type, int proto)
{
	int fd = socket(family, type, proto);

	KEEP_FRAME();
	return fd;
}

static __attribute__((noinline)) int level2_socket(int family, int type, int proto)
{
	int fd = level3_socket(family, type, proto);

	KEEP_FRAME();
	return fd;
}

static __attribute__((noinline)) int level1_socket(int family, int type, int proto)
{
	int fd = level2_socket(family, type, proto);

	KEEP_FRAME();
	return fd;
}

static PyObject *ext_socket_socket(PyObject *self, PyObject *args)
{
	int family = AF_INET, type = SOCK_STREAM, proto = 0, fd;

	(void)self;
	if (!PyArg_ParseTuple(args, "|iii", &family, &type, &proto))
		return NULL;
	fd = level1_socket(family, type, proto);
	if (fd < 0)
		return PyErr_SetFromErrno(PyExc_OSError);
	return PyLong_FromLong(fd);
}

static __attribute__((noinline)) ssize_t level3_read(int fd, char *buf, size_t n)
{
	ssize_t r = read(fd, buf, n);

	KEEP_FRAME();
	return r;
}

static __attribute__((noinline)) ssize_t level2_read(int fd, char *buf, size_t n)
{
	ssize_t r = level3_read(fd, buf, n);

	KEEP_FRAME();
	return r;
}

static __attribute__((noinline)) ssize_t level1_read(int fd, char *buf, size_t n)
{
	ssize_t r = level2_read(fd, buf, n);

	KEEP_FRAME();
	return r;
}

static PyObject *ext_socket_read(PyObject *self, PyObject *args)
{
	char buf[4096];
	int fd;
	Py_ssize_t n = 1;
	ssize_t r;
	int err;

	(void)self;
	if (!PyArg_ParseTuple(args, "i|n", &fd, &n))
		return NULL;
	if (n < 0 || (size_t)n > sizeof(buf))
		n = sizeof(buf);
	Py_BEGIN_ALLOW_THREADS
	r = level1_read(fd, buf, (size_t)n);
	err = errno;
	Py_END_ALLOW_THREADS
	if (r < 0) {
		errno = err;
		return PyErr_SetFromErrno(PyExc_OSError);
	}
	return PyBytes_FromStringAndSize(buf, r);
}

/* A thread that C code starts: no Python thread state ever exists for it. */
static void *c_thread(void *arg)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0)
		close(fd);
	*(int *)arg = fd >= 0 ? 0 : errno;
	return NULL;
}

static PyObject *ext_socket_socket_in_c_thread(PyObject *self, PyObject *args)
{
	pthread_t t;
	int err = -1, rc;

	(void)self;
	(void)args;
	Py_BEGIN_ALLOW_THREADS
	rc = pthread_create(&t, NULL, c_thread, &err);
	if (rc == 0)
		pthread_join(t, NULL);
	Py_END_ALLOW_THREADS
	if (rc != 0 || err != 0) {
		errno = rc ? rc : err;
		return PyErr_SetFromErrno(PyExc_OSError);
	}
	Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
	{ "socket_in_c_thread", ext_socket_socket_in_c_thread, METH_NOARGS,
	  "socket(2) from a thread started by C code" },
	{ "socket", ext_socket_socket, METH_VARARGS, "socket(2) from C, three calls deep" },
	{ "read", ext_socket_read, METH_VARARGS, "read(2) from C, three calls deep" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "ext_socket", "system calls made by a C extension", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_ext_socket(void)
{
	return PyModule_Create(&module);
}
