/** "1 vote", "3 votes"; `many` for the plurals English does not make with an s ("2 people"). */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
