export const INTRA42_SOURCE = 'intra42';
