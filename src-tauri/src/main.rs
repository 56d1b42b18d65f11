fn main() {
    salesplan_desktop_lib::run()
}
