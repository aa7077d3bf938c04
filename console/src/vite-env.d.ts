/** Vite's `?url` imports: the URL of a file the build copies into console/dist. */
declare module '*?url' {
  const url: string;
  export default url;
}
