// Placeholder for the Telegram pool server (gramjs MTProto clients), which arrives with the
// Telegram channel. It answers honestly: healthy, but every pool operation is 501.
import { createServer } from "node:http";

const port = Number(process.env.PORT ?? 8080);

const server = createServer((request, response) => {
  if (request.url === "/health") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: "ok" }));
    return;
  }
  response.writeHead(501, { "content-type": "application/problem+json" });
  response.end(
    JSON.stringify({
      type: "about:blank",
      title: "Not Implemented",
      status: 501,
      detail: "The Telegram account pool arrives with the Telegram channel.",
    }),
  );
});

server.listen(port, () => console.log(`telegram-pool placeholder listening on :${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
