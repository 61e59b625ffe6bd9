// dynalite in a process of its own, so its work does not share the event loop of what is measured
// (DynamoDB is another machine). Prints its port, then serves until stopped.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
