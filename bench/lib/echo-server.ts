import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

/**
 * Baselines for the message-path benchmark, run as their own process like the real server:
 * `ws` answers every frame with the same frame; `socketio` acknowledges every `echo` event with
 * its payload (the same request/ack shape as `message:send`, without any application work).
 * Usage: node --import tsx bench/lib/echo-server.ts ws|socketio PORT
 */
const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
const http = createServer((_req, res) => {
  res.writeHead(200).end('ok');
});

if (mode === 'ws') {
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
} else if (mode === 'socketio') {
  const io = new Server(http, { path: '/socket.io', serveClient: false });
  io.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack(payload);
    });
  });
} else {
  process.stderr.write(`echo-server: mode must be ws or socketio, got ${String(mode)}\n`);
  process.exit(2);
}
http.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
