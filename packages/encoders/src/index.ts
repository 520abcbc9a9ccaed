export const PACKAGE_NAME = '@spanrel/encoders';
