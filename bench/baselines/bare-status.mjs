// The smallest Node program that makes the action's status request: GET the status, print the word.
const response = await fetch(process.argv[2]);
const { status } = await response.json();
process.stdout.write(`${status}\n`);
