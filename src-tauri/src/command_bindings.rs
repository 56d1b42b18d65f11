//! The UI's typed wrappers of the IPC commands, written from the command
//! functions' signatures: `cargo test` writes `ui/src/ipc/bindings/commands.ts`
//! (next to the ts-rs types it names), and `ui/src/ipc/index.ts` calls the shell
//! through it only. A command or argument renamed here then fails the UI's type
//! check, and CI fails while the written file differs from the committed one.

use super::COMMANDS;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

/// What Tauri hands a command itself, not the UI.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

struct Command {
    name: String,
    /// Arguments as the shell reads them (snake_case) with their TypeScript types.
    args: Vec<(String, String)>,
    answer: String,
}

/// The generic arguments of a path segment (`Option<T>`: `[T]`).
fn generic_args(segment: &syn::PathSegment) -> Vec<&syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(generics) => generics
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(inner) => Some(inner),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The TypeScript type the UI passes or receives for a Rust type (as serde
/// writes it); the names of ts-rs types it uses go into `named`.
fn ts_type(ty: &syn::Type, named: &mut BTreeSet<String>) -> String {
    let segment = match ty {
        syn::Type::Reference(reference) => return ts_type(&reference.elem, named),
        syn::Type::Tuple(tuple) if tuple.elems.is_empty() => return "null".into(),
        syn::Type::Path(path) => path.path.segments.last().expect("a type has a name"),
        _ => panic!("a command's arguments and answers are named types, references or ()"),
    };
    let name = segment.ident.to_string();
    let inner = |named: &mut BTreeSet<String>| {
        let args = generic_args(segment);
        let first = args
            .first()
            .unwrap_or_else(|| panic!("{name} without its type argument"));
        ts_type(first, named)
    };
    match name.as_str() {
        "String" | "str" | "Uuid" | "Decimal" | "PathBuf" => "string".into(),
        "bool" => "boolean".into(),
        "i32" | "i64" | "u32" | "u64" | "usize" | "f64" => "number".into(),
        "Option" => format!("{} | null", inner(named)),
        "Vec" => {
            let item = inner(named);
            if item.contains(' ') {
                format!("({item})[]")
            } else {
                format!("{item}[]")
            }
        }
        // A command's answer: the value; a refusal rejects the promise.
        "Reply" | "Result" => inner(named),
        _ => {
            named.insert(name.clone());
            name
        }
    }
}

/// Whether a function is an IPC command, and then that it reads its arguments in snake_case.
fn is_command(function: &syn::ItemFn) -> bool {
    let Some(attribute) = function.attrs.iter().find(|attribute| {
        let path: Vec<String> = attribute
            .path()
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .collect();
        path == ["tauri", "command"]
    }) else {
        return false;
    };
    let tokens = match &attribute.meta {
        syn::Meta::List(list) => list.tokens.to_string(),
        _ => String::new(),
    };
    assert!(
        tokens.contains("rename_all = \"snake_case\""),
        "{}: declare #[tauri::command(rename_all = \"snake_case\")] so the UI passes arguments by their Rust names",
        function.sig.ident
    );
    true
}

fn command(function: &syn::ItemFn, named: &mut BTreeSet<String>) -> Command {
    let mut args = Vec::new();
    for input in &function.sig.inputs {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let injected = matches!(&*arg.ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|last| INJECTED.contains(&last.ident.to_string().as_str())));
        if injected {
            continue;
        }
        let syn::Pat::Ident(name) = &*arg.pat else {
            panic!("{}: name each argument plainly", function.sig.ident)
        };
        args.push((name.ident.to_string(), ts_type(&arg.ty, named)));
    }
    let answer = match &function.sig.output {
        syn::ReturnType::Default => "null".into(),
        syn::ReturnType::Type(_, ty) => ts_type(ty, named),
    };
    Command {
        name: function.sig.ident.to_string(),
        args,
        answer,
    }
}

/// Every command function in the shell's sources, in file and line order.
fn commands(named: &mut BTreeSet<String>) -> Vec<Command> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&source)
        .expect("src-tauri/src")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .collect();
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a source file");
        let file =
            syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        for item in &file.items {
            if let syn::Item::Fn(function) = item
                && is_command(function)
            {
                found.push(command(function, named));
            }
        }
    }
    found
}

fn written(commands: &[Command], named: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "// Written by `cargo test -p salesplan-desktop` from the shell's #[tauri::command]\n\
         // functions (src-tauri/src/command_bindings.rs). Do not edit this file manually.\n",
    );
    for name in named {
        writeln!(out, "import type {{ {name} }} from \"./{name}\";")
            .expect("a string takes writes");
    }
    out.push_str(
        "\n/** Invokes a command by name with its arguments under their Rust names. */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\
         \n/** One typed function per IPC command. */\n\
         export function commands(invoke: Invoke) {\n  return {\n",
    );
    for command in commands {
        let Command { name, args, answer } = command;
        if args.is_empty() {
            writeln!(out, "    {name}: () => invoke<{answer}>(\"{name}\"),")
                .expect("a string takes writes");
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|(arg, ty)| format!("{arg}: {ty}"))
                .collect();
            writeln!(
                out,
                "    {name}: (args: {{ {} }}) => invoke<{answer}>(\"{name}\", args),",
                fields.join("; ")
            )
            .expect("a string takes writes");
        }
    }
    out.push_str("  };\n}\n");
    out
}

#[test]
fn the_uis_command_wrappers_are_written_from_the_command_functions() {
    let mut named = BTreeSet::new();
    let commands = commands(&mut named);
    let mut found: Vec<&str> = commands
        .iter()
        .map(|command| command.name.as_str())
        .collect();
    let mut listed: Vec<&str> = COMMANDS.to_vec();
    found.sort_unstable();
    listed.sort_unstable();
    assert_eq!(
        found, listed,
        "every #[tauri::command] function is in with_commands! (commands.rs), and only those"
    );

    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings/commands.ts");
    let text = written(&commands, &named);
    if std::fs::read_to_string(&target).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&target, text).expect("ui/src/ipc/bindings is writable");
    }
}
