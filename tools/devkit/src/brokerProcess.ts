// Runs fauxqs in its own process: argv = port parentPid. Prints {"port":N} once listening and exits
// when its parent goes away, so a killed test run leaves nothing behind.
import { startFauxqs } from 'fauxqs';

const [port, parentPid] = process.argv.slice(2).map(Number);
const server = await startFauxqs({ port: port ?? 0, host: '127.0.0.1', logger: false });
process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setInterval(() => {
  try {
    process.kill(parentPid!, 0);
  } catch {
    void stop();
  }
}, 500).unref();
