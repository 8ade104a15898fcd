// Talks to Parley's socketio channel with socket.io-client (the protocol
// rasa-webchat uses) over the given transports, and prints what the bot
// said as JSON lines. Used by internal/server/socketio_node_test.go.
//
// usage: node client.js <url> <transports, e.g. polling or polling,websocket> <message>...
const io = require("socket.io-client");

const [url, transports, ...messages] = process.argv.slice(2);
const socket = io(url, {transports: transports.split(","), forceNew: true, reconnection: false});
const timer = setTimeout(() => {
  console.error("timed out");
  process.exit(1);
}, 15000);
let session = null;
let pending = 0;

function next() {
  const text = messages.shift();
  if (text === undefined) {
    clearTimeout(timer);
    socket.close();
    return;
  }
  pending = 1;
  socket.emit("user_uttered", {message: text, session_id: session});
}

socket.on("connect", () => socket.emit("session_request", {session_id: null}));
socket.on("session_confirm", (id) => {
  session = id;
  console.log(JSON.stringify({session_confirm: id}));
  next();
});
socket.on("bot_uttered", (msg) => {
  console.log(JSON.stringify(msg));
  pending -= 1;
  if (pending === 0) {
    setTimeout(next, 50);
  }
});
socket.on("connect_error", (err) => {
  console.error("connect_error", err.message);
  process.exit(1);
});
