// Output helpers: Docker's --format handling, tabwriter tables, units and times.
export { makeStruct, renderRows, parseFormat, templateText, isTableFormat } from './formatter';
export { tabwrite, DOCKER_TABLE, type TabwriterOptions } from './tabwriter';
export * from './units';
export * from './time';
export { displayJsonMessages } from './json-messages';
