#!/usr/bin/python3
"""A stock slixmpp MUC client (plugin xep_0045, join_muc_wait) driven by SlixmppClientIT.

Logs in, joins the room asking for a limited history, talks, changes its nick, talks again and
leaves. Prints one line per observation (the test asserts them); exits 0 when every step was
answered, 1 on a timeout or when the room threw it out. Installs nothing: Debian's
python3-slixmpp is a prerequisite of scripts/test.sh.
"""
import argparse
import asyncio
import logging
import sys

from slixmpp import ClientXMPP

WAIT = 20


class Client(ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.ok = False
        self.kicked = False
        self.register_plugin('xep_0045')
        self['feature_mechanisms'].unencrypted_plain = True
        self.add_event_handler('session_start', self.start)
        self.add_event_handler('groupchat_presence', self.on_presence)

    def on_presence(self, presence):
        room = self.args.room
        if str(presence['from']).startswith(room + '/') and presence['type'] == 'unavailable':
            codes = sorted(str(c) for c in presence['muc']['status_codes'])
            print('unavailable', presence['from'].resource, ' '.join(codes), flush=True)
            if '110' in codes and '303' not in codes:
                self.kicked = True

    async def said(self, body, nick):
        echo = asyncio.get_running_loop().create_future()

        def on_message(msg):
            if msg['type'] == 'groupchat' and msg['body'] == body and msg['from'].resource == nick \
                    and not echo.done():
                echo.set_result(True)

        self.add_event_handler('groupchat_message', on_message)
        self.send_message(mto=self.args.room, mbody=body, mtype='groupchat')
        await asyncio.wait_for(echo, WAIT)
        self.del_event_handler('groupchat_message', on_message)
        print('echo', nick, body, flush=True)

    async def start(self, _):
        a = self.args
        try:
            self.send_presence()
            _, subject, occupants, history = await self['xep_0045'].join_muc_wait(
                a.room, a.nick, maxstanzas=a.maxstanzas, timeout=WAIT)
            print('joined', a.nick, flush=True)
            print('occupants', ' '.join(sorted(p['from'].resource for p in occupants)), flush=True)
            print('history', ' | '.join(m['body'] for m in history), flush=True)
            print('subject', subject['subject'], flush=True)
            await self.said('hello from slixmpp', a.nick)
            renamed = asyncio.get_running_loop().create_future()

            def on_nick(presence):
                if presence['from'].resource == a.new_nick and presence['type'] != 'unavailable' \
                        and 110 in presence['muc']['status_codes'] and not renamed.done():
                    renamed.set_result(True)

            self.add_event_handler('muc::%s::presence' % a.room, on_nick)
            self.send_presence(pto='%s/%s' % (a.room, a.new_nick))
            await asyncio.wait_for(renamed, WAIT)
            print('renamed', a.new_nick, flush=True)
            await self.said('still here', a.new_nick)
            self.ok = not self.kicked
        except Exception as e:  # a timeout or a protocol error: the test prints our output
            print('failed', type(e).__name__, e, flush=True)
        finally:
            self.disconnect()


def main():
    p = argparse.ArgumentParser()
    for name in ('jid', 'password', 'host', 'room', 'nick', 'new-nick'):
        p.add_argument('--' + name, required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--maxstanzas', type=int, required=True)
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    client = Client(args)
    client.connect(address=(args.host, args.port), use_ssl=False, force_starttls=False, disable_starttls=True)
    asyncio.get_event_loop().run_until_complete(client.disconnected)
    print('ok' if client.ok else 'not ok', flush=True)
    sys.exit(0 if client.ok else 1)


if __name__ == '__main__':
    main()
