"""A tiny SMTP server on loopback that keeps what it receives (tests only)."""

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 sink ready")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("HELO", "EHLO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                sender, recipients = command[10:].strip(), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command[8:].strip())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with .")
                data = []
                for raw in iter(self.rfile.readline, b""):
                    if raw in (b".\r\n", b".\n"):
                        break
                    data.append(raw[1:] if raw.startswith(b"..") else raw)
                self.server.messages.append(
                    {"from": sender, "to": recipients, "data": b"".join(data)}
                )
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.messages = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
