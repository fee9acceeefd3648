// Container names: Docker's validation pattern and generated "adjective_surname" names.
import { randomInt } from 'node:crypto';
import { InvalidArgumentError } from '../errors';
import { ADJECTIVES, SURNAMES } from './name-words';

const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Name without the leading "/"; 400 with Docker's message when invalid. */
export function validateName(name: string): string {
  if (!VALID_NAME.test(name)) {
    throw new InvalidArgumentError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.replace(/^\//, '');
}

/** A random "adjective_surname"; after a few collisions Docker appends a digit. */
export function generateName(attempt: number): string {
  const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
  return attempt > 0 ? `${name}${randomInt(10)}` : name;
}
