/*
 * test_fork.c - a child made by fork() after the device was used (issue 12,
 * item 4): every call on an inherited object fails with CS_ERROR_BACKEND
 * and a message saying what to do, releases do nothing the driver sees, a
 * new instance in the child works (lavapipe allows it), and the child's
 * exit() returns its status instead of hanging or crashing in the driver's
 * exit handlers. The parent's objects go on working. Every wait for a
 * child has a timeout: a hang fails the test.
 *
 * Built and run by `make test-c`. Prints "N passed, M failed".
 * CS_TEST_ONLY=name runs one test.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* kill, usleep */
#endif

#include "harness.h"

#include "core/backend.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static cs_instance *instance;
static cs_device *device;

static cs_resource *make_buffer(cs_device *on, cs_heap_type heap_type)
{
    cs_resource_desc desc = {.heap_type = heap_type, .size = 16};
    cs_resource *resource = NULL;
    if (cs_resource_create(on, &desc, &resource) != CS_OK)
        fprintf(stderr, "buffer creation failed: %s\n", cs_last_error());
    return resource;
}

/* The child's exit status, or -1 (child killed) after timeout_s. */
static int wait_child(pid_t pid, int timeout_s)
{
    for (int waited_ms = 0; waited_ms < timeout_s * 1000; waited_ms += 10) {
        int status = 0;
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        usleep(10 * 1000);
    }
    fprintf(stderr, "child %d hung: killed\n", (int)pid);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static bool upload_and_read(cs_device *on, const char *text)
{
    cs_resource *buffer = make_buffer(on, CS_HEAP_UPLOAD);
    CHECK_OR_RETURN_FALSE(buffer);
    char got[16] = {0};
    bool same = cs_buffer_upload(buffer, 0, text, strlen(text)) == CS_OK &&
                cs_buffer_readback(buffer, 0, got, strlen(text)) == CS_OK &&
                memcmp(got, text, strlen(text)) == 0;
    cs_resource_release(buffer);
    return same;
}

static void test_child_of_a_used_device(void)
{
    cs_resource *inherited = make_buffer(device, CS_HEAP_UPLOAD);
    CHECK_OR_RETURN(inherited);
    CHECK_OR_RETURN(upload_and_read(device, "parent"));
    fflush(NULL);
    pid_t pid = fork();
    CHECK_OR_RETURN(pid >= 0);
    if (pid == 0) {
        const char *what = "inherited through fork()";
        CHECK_FAILS(cs_buffer_upload(inherited, 0, "x", 1), CS_ERROR_BACKEND,
                    what);
        CHECK(cs_buffer_mapped(inherited) == NULL);
        cs_resource *created = NULL;
        cs_resource_desc desc = {.heap_type = CS_HEAP_UPLOAD, .size = 16};
        CHECK_FAILS(cs_resource_create(device, &desc, &created),
                    CS_ERROR_BACKEND, "'spawn'");
        cs_resource_release(inherited); /* nothing reaches the driver */

        cs_instance *own = NULL;
        cs_device *own_device = NULL;
        if (harness_open_device(&own, &own_device)) {
            cs_resource *probe = NULL;
            cs_status opened = cs_resource_create(own_device, &desc, &probe);
            cs_resource_release(probe);
            if (opened == CS_OK) {
                CHECK(upload_and_read(own_device, "child"));
                CHECK(harness_take_messages(own_device) == 0);
            } else {
                /* drivers that refuse a device in a forked child (NVIDIA's)
                 * get a message that says what to do instead */
                CHECK(
                    strstr(cs_last_error(), "this driver does not allow it") &&
                    strstr(cs_last_error(), "'spawn'"));
                harness_take_messages(own_device); /* the loader's, about it */
            }
            cs_instance_release(own);
        } else {
            CHECK(!"a new instance in the child");
        }
        /* exit(), not _exit(): the exit handlers are what used to hang */
        exit(atomic_load(&check_failures) ? 3 : 7);
    }
    CHECK(wait_child(pid, 60) == 7);
    CHECK(upload_and_read(device, "parent again"));
    cs_resource_release(inherited);
}

static void test_child_that_does_nothing(void)
{
    fflush(NULL);
    pid_t pid = fork();
    CHECK_OR_RETURN(pid >= 0);
    if (pid == 0)
        exit(5);
    CHECK(wait_child(pid, 60) == 5);
}

/* a cs_backend entry missing from fork.c's tables is a NULL call (the
 * swapchain_recreate entry was, after it was added to the table): every
 * backend compiled in is covered */
static void test_fork_tables_cover_the_backend(void)
{
    CHECK(cs_backend_count() >= 1);
    for (size_t i = 0; i < cs_backend_count(); i++) {
        const cs_backend *backend = cs_backend_registered(i);
        CHECK_OR_RETURN(backend != NULL);
        CHECK(strcmp(backend->name, cs_backend_name(i)) == 0);
        CHECK(cs_fork_tables_cover(backend));
    }
    CHECK(cs_backend_registered(cs_backend_count()) == NULL);
}

int main(void)
{
    if (!harness_open_device(&instance, &device))
        return 1;
    const test_case tests[] = {
        {"fork_tables_cover_the_backend", test_fork_tables_cover_the_backend},
        {"child_of_a_used_device", test_child_of_a_used_device},
        {"child_that_does_nothing", test_child_that_does_nothing},
    };
    HARNESS_RUN_TESTS(tests, device);
    cs_instance_release(instance);
    return harness_finish();
}
