import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Tauri shell serves the built files from ui/dist (tauri.conf.json: frontendDist).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  // Apache ECharts is its own chunk (~630 kB), loaded with the first chart (components/Chart.tsx).
  build: { outDir: "dist", target: "safari15", emptyOutDir: true, chunkSizeWarningLimit: 700 },
  test: { include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
