//! The variables `env-prefix` may not make: the runner's own, and those that
//! make a later step load code, run a command, read its settings from
//! somewhere else, or fetch from or trust another server. Kept as data, each
//! entry with the documentation that says what the variable does; `denied`
//! and `denied_family` apply it. Names are compared without regard to case
//! (Windows reads `PSModulePath` and `PSMODULEPATH` alike; npm reads
//! `npm_config_*` and `NPM_CONFIG_*` alike).
//!
//! A variable made by `env-prefix` always holds `_` (the prefix ends with it),
//! so names without one (`PATH`, `CFLAGS`, `GOFLAGS`, `PERL5OPT`, `COMSPEC`)
//! cannot be made today; they are listed all the same, so that the rule does
//! not rest on that.

// Sources named by more than one entry.
const GH_VARIABLES: &str =
    "https://docs.github.com/en/actions/reference/workflows-and-actions/variables";
const MAKE_IMPLICIT: &str =
    "https://www.gnu.org/software/make/manual/html_node/Implicit-Variables.html";
const WINDOWS_VARIABLES: &str = "https://learn.microsoft.com/en-us/windows/deployment/usmt/usmt-recognized-environment-variables";
const WINDOWS_TEMP: &str =
    "https://learn.microsoft.com/en-us/windows/win32/api/fileapi/nf-fileapi-gettemppathw";
const GO_ENV: &str = "https://pkg.go.dev/cmd/go#hdr-Environment_variables";
const SANITIZERS: &str = "https://github.com/google/sanitizers/wiki/SanitizerCommonFlags";
const R_STARTUP: &str = "https://stat.ethz.ch/R-manual/R-devel/library/base/html/Startup.html";
const R_LIBPATHS: &str = "https://stat.ethz.ch/R-manual/R-devel/library/base/html/libPaths.html";
const CARGO_ENV: &str = "https://doc.rust-lang.org/cargo/reference/environment-variables.html";
const JAVA_ENV: &str = "https://docs.oracle.com/en/java/javase/21/troubleshoot/environment-variables-and-system-properties.html";
const DOCKER_BUILD_VARIABLES: &str = "https://docs.docker.com/build/building/variables/";

/// `(name, where it is documented)`: a name ending in `*` is a family, every
/// variable that starts with what comes before the `*`.
pub const DENIED: &[(&str, &str)] = &[
    // The runner's own.
    ("GITHUB_*", GH_VARIABLES),
    ("RUNNER_*", GH_VARIABLES),
    (
        "ACTIONS_*",
        "https://github.com/actions/runner (ACTIONS_RUNTIME_URL, ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_STEP_DEBUG)",
    ),
    (
        "INPUT_*",
        "https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#inputs",
    ),
    (
        "STATE_*",
        "https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#sending-values-to-the-pre-and-post-actions",
    ),
    ("CI", GH_VARIABLES),
    // Where programs are found, and the shells' start-up.
    ("PATH", "environ(7)"),
    ("HOME", "environ(7)"),
    ("SHELL", "environ(7)"),
    ("TMPDIR", "environ(7)"),
    ("ENV", "sh(1p), ENV"),
    ("BASH_*", "bash(1), BASH_ENV and BASH_FUNC_name%%"),
    ("SHELLOPTS", "bash(1)"),
    ("BASHOPTS", "bash(1)"),
    ("IFS", "bash(1)"),
    ("CDPATH", "bash(1)"),
    ("GLOBIGNORE", "bash(1)"),
    ("PROMPT_COMMAND", "bash(1)"),
    ("PS0", "bash(1), prompt strings are expanded"),
    ("PS1", "bash(1)"),
    ("PS2", "bash(1)"),
    ("PS3", "bash(1)"),
    ("PS4", "bash(1), expanded for every traced command (set -x)"),
    ("ZDOTDIR", "zsh(1), STARTUP/SHUTDOWN FILES"),
    ("FPATH", "zsh(1), autoloaded functions"),
    ("INPUTRC", "readline(3)"),
    ("EDITOR", "environ(7)"),
    ("VISUAL", "environ(7)"),
    ("PAGER", "environ(7)"),
    ("MANPAGER", "man(1)"),
    ("BROWSER", "xdg-open(1)"),
    ("LESS*", "less(1), LESSOPEN runs an input preprocessor"),
    ("SUDO_*", "sudo(8), SUDO_ASKPASS, SUDO_EDITOR"),
    ("SSH_*", "ssh(1), SSH_ASKPASS, SSH_AUTH_SOCK"),
    (
        "XDG_*",
        "https://specifications.freedesktop.org/basedir-spec/latest/ (where programs read their settings)",
    ),
    ("EXINIT", "vi(1p)"),
    ("VIMINIT", "vim(1)"),
    // The dynamic loader and the C library (Linux).
    ("LD_*", "ld.so(8), LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT"),
    (
        "GLIBC_TUNABLES",
        "https://www.gnu.org/software/libc/manual/html_node/Tunables.html",
    ),
    ("GCONV_PATH", "iconv_open(3), gconv modules are loaded code"),
    ("MALLOC_*", "mallopt(3), MALLOC_CHECK_, MALLOC_PERTURB_"),
    ("LOCPATH", "locale(7)"),
    ("NLSPATH", "catopen(3)"),
    ("LC_*", "locale(7)"),
    ("HOSTALIASES", "hostname(7)"),
    ("RES_OPTIONS", "resolv.conf(5)"),
    ("LOCALDOMAIN", "resolv.conf(5)"),
    (
        "ASAN_*",
        "https://github.com/google/sanitizers/wiki/SanitizerCommonFlags (external_symbolizer_path runs a program)",
    ),
    ("LSAN_*", SANITIZERS),
    ("MSAN_*", SANITIZERS),
    ("TSAN_*", SANITIZERS),
    ("UBSAN_*", SANITIZERS),
    // The dynamic loader and the toolchain (macOS).
    (
        "DYLD_*",
        "dyld(1), DYLD_INSERT_LIBRARIES, DYLD_LIBRARY_PATH, DYLD_FRAMEWORK_PATH",
    ),
    ("DEVELOPER_DIR", "xcode-select(1), which Xcode's tools run"),
    ("SDKROOT", "xcrun(1)"),
    (
        "CFFIXED_USER_HOME",
        "https://developer.apple.com/documentation/foundation/1413045-nshomedirectory",
    ),
    (
        "HOMEBREW_*",
        "brew(1), ENVIRONMENT (HOMEBREW_BREW_GIT_REMOTE, HOMEBREW_CORE_GIT_REMOTE)",
    ),
    // Windows.
    (
        "PATHEXT",
        "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/set_1",
    ),
    (
        "COMSPEC",
        "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/cmd",
    ),
    (
        "PSModulePath",
        "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_psmodulepath",
    ),
    (
        "PSExecutionPolicyPreference",
        "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_execution_policies",
    ),
    (
        "POWERSHELL_*",
        "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_environment_variables",
    ),
    ("windir", WINDOWS_VARIABLES),
    ("SystemRoot", WINDOWS_VARIABLES),
    ("SystemDrive", WINDOWS_VARIABLES),
    ("ProgramFiles", WINDOWS_VARIABLES),
    ("ProgramData", WINDOWS_VARIABLES),
    ("CommonProgramFiles", WINDOWS_VARIABLES),
    ("APPDATA", WINDOWS_VARIABLES),
    ("LOCALAPPDATA", WINDOWS_VARIABLES),
    ("USERPROFILE", WINDOWS_VARIABLES),
    ("HOMEDRIVE", WINDOWS_VARIABLES),
    ("HOMEPATH", WINDOWS_VARIABLES),
    ("TEMP", WINDOWS_TEMP),
    ("TMP", WINDOWS_TEMP),
    (
        "ChocolateyInstall",
        "https://docs.chocolatey.org/en-us/choco/setup/",
    ),
    (
        "VCPKG_*",
        "https://learn.microsoft.com/en-us/vcpkg/users/config-environment",
    ),
    // C and C++ toolchains and build systems.
    (
        "CC",
        "make(1), implicit rules; https://www.gnu.org/software/make/manual/html_node/Implicit-Variables.html",
    ),
    ("CXX", MAKE_IMPLICIT),
    ("CPP", MAKE_IMPLICIT),
    ("LD", MAKE_IMPLICIT),
    ("AR", MAKE_IMPLICIT),
    ("CFLAGS", MAKE_IMPLICIT),
    ("CXXFLAGS", MAKE_IMPLICIT),
    ("CPPFLAGS", MAKE_IMPLICIT),
    ("LDFLAGS", MAKE_IMPLICIT),
    ("LDLIBS", MAKE_IMPLICIT),
    ("MAKEFLAGS", "make(1)"),
    (
        "MAKEFILES",
        "https://www.gnu.org/software/make/manual/html_node/MAKEFILES-Variable.html",
    ),
    ("GCC_*", "gcc(1), ENVIRONMENT: GCC_EXEC_PREFIX"),
    ("COMPILER_PATH", "gcc(1), ENVIRONMENT"),
    ("LIBRARY_PATH", "gcc(1), ENVIRONMENT"),
    ("CPATH", "gcc(1), ENVIRONMENT"),
    ("C_INCLUDE_PATH", "gcc(1), ENVIRONMENT"),
    ("CPLUS_INCLUDE_PATH", "gcc(1), ENVIRONMENT"),
    ("OBJC_INCLUDE_PATH", "gcc(1), ENVIRONMENT"),
    ("DEPENDENCIES_OUTPUT", "gcc(1), ENVIRONMENT (writes a file)"),
    ("SUNPRO_DEPENDENCIES", "gcc(1), ENVIRONMENT (writes a file)"),
    (
        "CMAKE_*",
        "cmake-env-variables(7), CMAKE_<LANG>_COMPILER_LAUNCHER",
    ),
    ("CCACHE_*", "ccache(1), CCACHE_PREFIX runs a command"),
    (
        "SCCACHE_*",
        "https://github.com/mozilla/sccache/blob/main/docs/Configuration.md",
    ),
    ("DISTCC_*", "distcc(1)"),
    ("PKG_CONFIG_*", "pkg-config(1), PKG_CONFIG_PATH"),
    (
        "CONFIG_SITE",
        "https://www.gnu.org/software/autoconf/manual/autoconf.html#Site-Defaults (a shell script configure sources)",
    ),
    (
        "CONFIG_SHELL",
        "https://www.gnu.org/software/autoconf/manual/autoconf.html#The-Make-Macro-MAKEFLAGS",
    ),
    (
        "ACLOCAL_PATH",
        "https://www.gnu.org/software/automake/manual/html_node/Macro-Search-Path.html",
    ),
    (
        "OPENSSL_*",
        "openssl-env(7), OPENSSL_CONF, OPENSSL_MODULES, OPENSSL_ENGINES",
    ),
    ("APT_CONFIG", "apt.conf(5)"),
    (
        "QT_*",
        "https://doc.qt.io/qt-6/deployment-plugins.html (QT_PLUGIN_PATH)",
    ),
    (
        "GTK_*",
        "https://docs.gtk.org/gtk3/running.html (GTK_MODULES, GTK_PATH)",
    ),
    (
        "GST_*",
        "https://gstreamer.freedesktop.org/documentation/gstreamer/running.html (GST_PLUGIN_PATH)",
    ),
    // Go.
    (
        "CGO_*",
        "https://pkg.go.dev/cmd/cgo (CGO_CFLAGS, CGO_LDFLAGS)",
    ),
    ("GOFLAGS", GO_ENV),
    ("GOPROXY", GO_ENV),
    ("GOTOOLCHAIN", "https://go.dev/doc/toolchain"),
    ("GOROOT", GO_ENV),
    ("GOPATH", GO_ENV),
    ("GOENV", GO_ENV),
    ("GOINSECURE", GO_ENV),
    ("GONOSUMDB", GO_ENV),
    ("GOPRIVATE", GO_ENV),
    ("GOSUMDB", GO_ENV),
    // Rust.
    (
        "CARGO_*",
        "https://doc.rust-lang.org/cargo/reference/environment-variables.html (CARGO_BUILD_RUSTC_WRAPPER, CARGO_TARGET_<triple>_RUNNER)",
    ),
    (
        "RUSTC_*",
        "https://doc.rust-lang.org/cargo/reference/environment-variables.html (RUSTC_WRAPPER)",
    ),
    ("RUSTC", CARGO_ENV),
    ("RUSTFLAGS", CARGO_ENV),
    ("RUSTDOCFLAGS", CARGO_ENV),
    (
        "RUSTUP_*",
        "https://rust-lang.github.io/rustup/environment-variables.html (RUSTUP_TOOLCHAIN, RUSTUP_DIST_SERVER)",
    ),
    // JavaScript.
    (
        "NODE_*",
        "https://nodejs.org/api/cli.html#environment-variables (NODE_OPTIONS, NODE_PATH, NODE_EXTRA_CA_CERTS)",
    ),
    (
        "NPM_*",
        "https://docs.npmjs.com/cli/using-npm/config#environment-variables (npm_config_*, read without regard to case)",
    ),
    (
        "YARN_*",
        "https://yarnpkg.com/configuration/yarnrc (YARN_NPM_REGISTRY_SERVER, YARN_YARN_PATH)",
    ),
    ("PNPM_*", "https://pnpm.io/npmrc"),
    (
        "COREPACK_*",
        "https://github.com/nodejs/corepack#environment-variables (COREPACK_NPM_REGISTRY)",
    ),
    (
        "BUN_*",
        "https://bun.sh/docs/runtime/env (BUN_CONFIG_REGISTRY)",
    ),
    (
        "DENO_*",
        "https://docs.deno.com/runtime/reference/env_variables/ (DENO_DIR, DENO_CERT)",
    ),
    (
        "ELECTRON_*",
        "https://www.electronjs.org/docs/latest/api/environment-variables (ELECTRON_RUN_AS_NODE)",
    ),
    (
        "PUPPETEER_*",
        "https://pptr.dev/guides/configuration (PUPPETEER_EXECUTABLE_PATH)",
    ),
    (
        "PLAYWRIGHT_*",
        "https://playwright.dev/docs/browsers (PLAYWRIGHT_BROWSERS_PATH, PLAYWRIGHT_DOWNLOAD_HOST)",
    ),
    (
        "CYPRESS_*",
        "https://docs.cypress.io/app/references/advanced-installation (CYPRESS_RUN_BINARY)",
    ),
    // Python.
    (
        "PYTHON*",
        "python(1), ENVIRONMENT VARIABLES (PYTHONPATH, PYTHONSTARTUP, PYTHONHOME, PYTHON_*)",
    ),
    (
        "PIP_*",
        "https://pip.pypa.io/en/stable/topics/configuration/#environment-variables (PIP_INDEX_URL)",
    ),
    (
        "UV_*",
        "https://docs.astral.sh/uv/reference/environment/ (UV_INDEX_URL, UV_PYTHON)",
    ),
    (
        "POETRY_*",
        "https://python-poetry.org/docs/configuration/#using-environment-variables",
    ),
    (
        "PIPENV_*",
        "https://pipenv.pypa.io/en/latest/configuration.html",
    ),
    (
        "CONDA_*",
        "https://docs.conda.io/projects/conda/en/latest/user-guide/configuration/use-condarc.html#environment-variables",
    ),
    (
        "PYTEST_*",
        "https://docs.pytest.org/en/stable/reference/reference.html#environment-variables (PYTEST_ADDOPTS, PYTEST_PLUGINS)",
    ),
    ("VIRTUAL_ENV", "https://docs.python.org/3/library/venv.html"),
    // Ruby, Perl, PHP, R, Lua and others.
    ("RUBY*", "ruby(1), ENVIRONMENT (RUBYOPT, RUBYLIB)"),
    (
        "GEM_*",
        "https://guides.rubygems.org/command-reference/ (GEM_HOME, GEM_PATH)",
    ),
    ("BUNDLE_*", "bundle-config(1)"),
    ("BUNDLER_*", "bundle-config(1)"),
    (
        "PERL*",
        "perlrun(1), ENVIRONMENT (PERL5OPT, PERL5LIB, PERL5DB)",
    ),
    (
        "PHPRC",
        "https://www.php.net/manual/en/configuration.file.php",
    ),
    (
        "PHP_*",
        "https://www.php.net/manual/en/configuration.file.php (PHP_INI_SCAN_DIR)",
    ),
    (
        "COMPOSER_*",
        "https://getcomposer.org/doc/03-cli.md#environment-variables",
    ),
    ("R_PROFILE", R_STARTUP),
    ("R_PROFILE_USER", R_STARTUP),
    ("R_ENVIRON", R_STARTUP),
    ("R_ENVIRON_USER", R_STARTUP),
    ("R_LIBS", R_LIBPATHS),
    ("R_LIBS_USER", R_LIBPATHS),
    ("R_LIBS_SITE", R_LIBPATHS),
    (
        "R_HOME",
        "https://stat.ethz.ch/R-manual/R-devel/library/base/html/Rhome.html",
    ),
    ("LUA_*", "lua(1), LUA_INIT runs code, LUA_PATH"),
    (
        "JULIA_*",
        "https://docs.julialang.org/en/v1/manual/environment-variables/ (JULIA_DEPOT_PATH, JULIA_LOAD_PATH)",
    ),
    ("ERL_*", "erl(1), ERL_AFLAGS, ERL_LIBS"),
    (
        "MIX_*",
        "https://hexdocs.pm/mix/Mix.html#module-environment-variables",
    ),
    (
        "HEX_*",
        "https://hexdocs.pm/hex/Mix.Tasks.Hex.Config.html (HEX_MIRROR)",
    ),
    (
        "PUB_*",
        "https://dart.dev/tools/pub/environment-variables (PUB_HOSTED_URL)",
    ),
    (
        "FLUTTER_*",
        "https://docs.flutter.dev/community/china (FLUTTER_STORAGE_BASE_URL)",
    ),
    // Java and .NET.
    ("JAVA_TOOL_OPTIONS", JAVA_ENV),
    ("_JAVA_OPTIONS", JAVA_ENV),
    (
        "JDK_JAVA_OPTIONS",
        "java(1), Using the JDK_JAVA_OPTIONS Launcher Environment Variable",
    ),
    ("JAVA_*", "java(1), JAVA_HOME"),
    ("JDK_*", "java(1)"),
    ("CLASSPATH", "java(1)"),
    (
        "MAVEN_*",
        "https://maven.apache.org/configure.html (MAVEN_OPTS, MAVEN_ARGS)",
    ),
    (
        "GRADLE_*",
        "https://docs.gradle.org/current/userguide/build_environment.html (GRADLE_OPTS, GRADLE_USER_HOME)",
    ),
    (
        "ORG_GRADLE_*",
        "https://docs.gradle.org/current/userguide/build_environment.html (ORG_GRADLE_PROJECT_name)",
    ),
    (
        "ANT_*",
        "https://ant.apache.org/manual/running.html (ANT_OPTS, ANT_ARGS)",
    ),
    (
        "SBT_*",
        "https://www.scala-sbt.org/1.x/docs/Command-Line-Reference.html (SBT_OPTS)",
    ),
    (
        "DOTNET_*",
        "https://learn.microsoft.com/en-us/dotnet/core/tools/dotnet-environment-variables (DOTNET_STARTUP_HOOKS)",
    ),
    (
        "CORECLR_*",
        "https://learn.microsoft.com/en-us/dotnet/core/runtime-config/debugging-profiling (CORECLR_PROFILER_PATH)",
    ),
    (
        "COMPLUS_*",
        "https://learn.microsoft.com/en-us/dotnet/core/runtime-config/",
    ),
    (
        "NUGET_*",
        "https://learn.microsoft.com/en-us/nuget/reference/cli-reference/cli-ref-environment-variables",
    ),
    // Version control, package managers, containers and clouds.
    (
        "GIT_*",
        "git(1), ENVIRONMENT VARIABLES (GIT_SSH_COMMAND, GIT_CONFIG_*, GIT_EXEC_PATH)",
    ),
    (
        "GH_*",
        "https://cli.github.com/manual/gh_help_environment (GH_HOST, GH_TOKEN)",
    ),
    ("GNUPGHOME", "gpg(1)"),
    ("GPG_*", "gpg-agent(1)"),
    (
        "DOCKER_*",
        "https://docs.docker.com/reference/cli/docker/#environment-variables (DOCKER_HOST, DOCKER_CONFIG)",
    ),
    (
        "BUILDX_*",
        "https://docs.docker.com/build/building/variables/#build-tool-configuration-variables",
    ),
    ("BUILDKIT_*", DOCKER_BUILD_VARIABLES),
    ("CONTAINERS_*", "containers.conf(5), CONTAINERS_CONF"),
    (
        "KUBECONFIG",
        "https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/",
    ),
    ("KUBE_*", "https://kubernetes.io/docs/reference/kubectl/"),
    (
        "HELM_*",
        "https://helm.sh/docs/helm/helm/ (HELM_PLUGINS, HELM_REPOSITORY_CONFIG)",
    ),
    (
        "TF_*",
        "https://developer.hashicorp.com/terraform/cli/config/environment-variables (TF_CLI_ARGS, TF_CLI_CONFIG_FILE)",
    ),
    (
        "VAULT_*",
        "https://developer.hashicorp.com/vault/docs/commands#configure-environment-variables (VAULT_ADDR)",
    ),
    (
        "ANSIBLE_*",
        "https://docs.ansible.com/ansible/latest/reference_appendices/config.html",
    ),
    (
        "AWS_*",
        "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html",
    ),
    (
        "AZURE_*",
        "https://learn.microsoft.com/en-us/cli/azure/azure-cli-configuration",
    ),
    (
        "GOOGLE_*",
        "https://cloud.google.com/docs/authentication/application-default-credentials",
    ),
    ("CLOUDSDK_*", "https://cloud.google.com/sdk/docs/properties"),
    (
        "NIX_*",
        "https://nix.dev/manual/nix/latest/command-ref/env-common (NIX_CONFIG, NIX_PATH)",
    ),
    ("KRB5*", "kerberos(7), KRB5_CONFIG, KRB5CCNAME"),
    // TLS trust and proxies: where requests go and whom they trust.
    ("SSL_*", "openssl-env(7), SSL_CERT_FILE, SSL_CERT_DIR"),
    ("CURL_*", "curl(1), CURL_CA_BUNDLE, CURL_HOME"),
    (
        "REQUESTS_*",
        "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification (REQUESTS_CA_BUNDLE)",
    ),
    (
        "GNUTLS_*",
        "https://gnutls.org/manual/html_node/System_002dwide-configuration-of-the-library.html",
    ),
    ("WGETRC", "wget(1)"),
    (
        "HTTP_*",
        "curl(1), http_proxy (read without regard to case by many tools)",
    ),
    ("HTTPS_*", "curl(1), HTTPS_PROXY"),
    ("ALL_*", "curl(1), ALL_PROXY"),
    ("NO_*", "curl(1), NO_PROXY"),
    ("FTP_*", "wget(1), ftp_proxy"),
];

/// Whether `var` is `pattern`: a name, or a family ending in `*`. Without
/// regard to case.
fn matches(pattern: &str, var: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(family) => var
            .get(..family.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(family)),
        None => var.eq_ignore_ascii_case(pattern),
    }
}

/// The entry of [`DENIED`] that `var` is, if any: `(name or family, source)`.
#[must_use]
pub fn denied(var: &str) -> Option<(&'static str, &'static str)> {
    DENIED.iter().copied().find(|(p, _)| matches(p, var))
}

/// The family (`LD_`, without its `*`) that every variable under `prefix`
/// would belong to, if any.
#[must_use]
pub fn denied_family(prefix: &str) -> Option<&'static str> {
    DENIED
        .iter()
        .filter_map(|(p, _)| p.strip_suffix('*'))
        .find(|family| matches(&format!("{family}*"), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry is refused as written, in upper case, and (a family) with
    /// any name after it; a name is not a family.
    #[test]
    fn every_entry_is_refused() {
        for (pattern, source) in DENIED {
            assert!(!source.is_empty(), "{pattern}");
            if let Some(family) = pattern.strip_suffix('*') {
                for var in [
                    family.to_owned(),
                    format!("{family}X"),
                    format!("{family}A_B"),
                ] {
                    assert!(denied(&var).is_some(), "{var}");
                    assert!(denied(&var.to_ascii_uppercase()).is_some(), "{var}");
                }
                if family.ends_with('_') {
                    assert_eq!(denied_family(family), Some(family), "{family}");
                }
            } else {
                assert!(denied(pattern).is_some(), "{pattern}");
                assert!(denied(&pattern.to_ascii_uppercase()).is_some(), "{pattern}");
            }
        }
    }

    /// Names that were once exported, and their neighbours.
    #[test]
    fn names_that_run_code_or_redirect_programs() {
        for (var, entry) in [
            ("CGO_CFLAGS", "CGO_*"),
            ("OPENSSL_CONF", "OPENSSL_*"),
            ("GLIBC_TUNABLES", "GLIBC_TUNABLES"),
            ("CMAKE_C_COMPILER_LAUNCHER", "CMAKE_*"),
            ("SUDO_ASKPASS", "SUDO_*"),
            ("APT_CONFIG", "APT_CONFIG"),
            ("R_PROFILE_USER", "R_PROFILE_USER"),
            ("GCC_EXEC_PREFIX", "GCC_*"),
            ("DYLD_INSERT_LIBRARIES", "DYLD_*"),
            ("PSMODULEPATH", "PSModulePath"),
            ("SYSTEMROOT", "SystemRoot"),
            ("PYTHONSTARTUP", "PYTHON*"),
            ("PERL5OPT", "PERL*"),
            ("NPM_CONFIG_REGISTRY", "NPM_*"),
            ("NODE_OPTIONS", "NODE_*"),
            ("BASH_ENV", "BASH_*"),
            ("PROMPT_COMMAND", "PROMPT_COMMAND"),
            ("LESSOPEN", "LESS*"),
            ("PKG_CONFIG_PATH", "PKG_CONFIG_*"),
            ("RUSTC_WRAPPER", "RUSTC_*"),
        ] {
            assert_eq!(denied(var).map(|(p, _)| p), Some(entry), "{var}");
        }
        for var in [
            "DEPLOY_IMAGE_TAG",
            "APP_NOTES",
            "PKG_NAME",
            "R_TAG",
            "CONFIG_NAME",
            "CD_ENV",
        ] {
            assert_eq!(denied(var), None, "{var}");
        }
        assert_eq!(denied_family("CGO_"), Some("CGO_"));
        assert_eq!(denied_family("PYTHON_"), Some("PYTHON"));
        assert_eq!(denied_family("R_"), None);
        assert_eq!(denied_family("DEPLOY_"), None);
    }
}
