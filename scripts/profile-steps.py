#!/usr/bin/env python3
"""profile-steps.py -- where a node's CPU goes, per delivered copy, from scripts/bench.sh's PROFILE_DIR.

Usage: scripts/profile-steps.py COPIES FILE.collapsed [FILE.collapsed ...] [--leaves STEP]

FILEs are async-profiler's collapsed stacks (cpu, 1 ms interval, per thread) of every node of one
run; COPIES is the number of copies the driver delivered in the measured interval (its deliveries
per node-CPU-second times node_cpu_s). Prints CPU nanoseconds per delivered copy: per thread kind,
then the event loops' samples per step. A sample counts for the innermost step on its stack, so a
stanza encoded inside the router's code counts as encoding; a sample whose innermost frame is in
the kernel counts for the system call (or interrupt) it is in. --leaves STEP lists the innermost
frames of one step.
"""
import collections
import re
import sys

INTERVAL_NS = 1_000_000

# step, prefixes of its frames (Java frames as async-profiler names them: package/Class.method)
STEPS = [
    ('parse (router XML in)', ('org/palaver/xml/StreamParser', 'com/fasterxml/aalto')),
    ('write (router XML out)', ('org/palaver/xml/XmlWriter', 'org/palaver/xml/FanoutBytes',
                                'org/palaver/component/WriteBatch', 'org/palaver/component/RouterOutbox')),
    ('JIDs', ('org/palaver/xml/Jid',)),
    ('parsed form encode/decode', ('org/palaver/xml/ElementCodec',)),
    ('binary fields', ('org/palaver/core/Binary',)),
    ('node messages, batches', ('org/palaver/cluster/NodeMessage', 'org/palaver/cluster/BackupPayload',
                                'org/palaver/cluster/NodeChannel', 'org/palaver/cluster/PeerOutbox')),
    ('routing', ('org/palaver/cluster/StanzaRouter', 'org/palaver/cluster/OwnershipView',
                 'org/palaver/cluster/ClusterRouting', 'org/palaver/cluster/StanzaBuffer')),
    ('replication', ('org/palaver/cluster/Replication', 'org/palaver/cluster/HeldBackups',
                     'org/palaver/cluster/RoomLog', 'org/palaver/cluster/BackupPlan')),
    ('resend ledger, marks', ('org/palaver/cluster/Resend', 'org/palaver/cluster/ForwardLedger',
                              'org/palaver/cluster/RoomMarks')),
    ('cluster, other', ('org/palaver/cluster',)),
    ('protocol core', ('org/palaver/core',)),
    ('router connection', ('org/palaver/component',)),
    ('metrics', ('io/micrometer', 'org/palaver/metrics')),
    ('Hazelcast', ('com/hazelcast',)),
    ('Vert.x event bus', ('io/vertx/core/eventbus',)),
    ('Vert.x, other', ('io/vertx',)),
    ('Netty', ('io/netty',)),
]
# kernel: the system call (or interrupt) a kernel sample is in, by a function on its stack
KERNEL = [('tcp_sendmsg', 'send'), ('tcp_recvmsg', 'receive'), ('sock_read_iter', 'receive'),
          ('ep_poll', 'epoll'), ('do_epoll_wait', 'epoll'), ('futex', 'futex'), ('eventfd', 'eventfd'),
          ('exc_page_fault', 'page faults'), ('schedule', 'scheduler'), ('net_rx_action', 'softirq')]


def is_java(frame):
    return '/' in frame and '.' in frame and '::' not in frame and not frame.endswith('_[k]') \
        and not frame.startswith('/')


def step(frames):
    if frames[-1].endswith('_[k]'):
        kernel = ';'.join(f for f in frames if f.endswith('_[k]'))
        return next(('kernel: ' + name for key, name in KERNEL if key in kernel), 'kernel: other')
    for frame in reversed([f for f in frames if is_java(f)]):
        for name, prefixes in STEPS:
            if frame.startswith(prefixes):
                return name
    return 'JVM runtime' if not is_java(frames[-1]) else 'Java, other'


def thread_kind(frame):
    name = frame.strip('[]').split(' tid=')[0]
    if name.startswith('vert.x-eventloop'):
        return 'event loop'
    if name.startswith('hz.'):
        return 'Hazelcast'
    return re.sub(r'[#0-9 -]+$', '', name)


def main(argv):
    leaves_of = None
    if '--leaves' in argv:
        i = argv.index('--leaves')
        leaves_of = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 2:
        sys.exit(__doc__)
    copies = float(argv[0])
    threads, steps, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    for name in argv[1:]:
        with open(name) as f:
            for line in f:
                stack, _, count = line.rstrip('\n').rpartition(' ')
                frames, n = stack.split(';'), int(count)
                kind = thread_kind(frames[0])
                threads[kind] += n
                if kind == 'event loop' and len(frames) > 1:
                    s = step(frames[1:])
                    steps[s] += n
                    if s == leaves_of:
                        leaves[frames[-1]] += n
    ns = lambda n: n * INTERVAL_NS / copies
    print(f'{ns(sum(threads.values())):7.1f}  all threads, ns per delivered copy')
    for kind, n in threads.most_common(10):
        print(f'{ns(n):7.1f}    {kind}')
    print('event loops, by step:')
    for s, n in steps.most_common():
        print(f'{ns(n):7.1f}    {s}')
    if leaves_of:
        print(f'innermost frames of {leaves_of}:')
        for leaf, n in leaves.most_common(25):
            print(f'{ns(n):7.1f}    {leaf[:120]}')


if __name__ == '__main__':
    main(sys.argv[1:])
