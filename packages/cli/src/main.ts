export function main(): void { console.log("hi"); }
