export const PACKAGE_NAME = '@spanrel/relation-heads';
