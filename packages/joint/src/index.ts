export const PACKAGE_NAME = '@spanrel/joint';
