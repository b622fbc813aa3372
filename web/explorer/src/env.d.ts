declare module 'virtual:proto-schema' {
  const schema: Record<string, Record<number, { name: string; type: string; repeated: boolean }>>;
  export default schema;
}
