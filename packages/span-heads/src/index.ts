export const PACKAGE_NAME = '@spanrel/span-heads';
