import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri shell serves the built files from ui/dist (tauri.conf.json: frontendDist).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { outDir: "dist", target: "safari15", emptyOutDir: true },
  test: { include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
