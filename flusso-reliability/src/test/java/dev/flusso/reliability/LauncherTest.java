package dev.flusso.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher's exact command line ({@code java --module-path lib --module dev.flusso.cli/dev.flusso.cli.Flusso}, no
 * {@code --add-modules}) must run a deployment with an opensearch sink. Every other scenario adds the modules it
 * misses ({@link FlussoProcess#ADD_MODULES}), so that they test sync rather than packaging.
 */
class LauncherTest {

    @Test
    void launcherCommandLineRunsAnOpenSearchDeployment() {
        try (Scenario scenario = Scenario.of("launcher/exact-module-path")) {
            Library.create(scenario, 10);
            scenario.writeConfig("stop", Library.INDEX_SECTION, "");
            Path log = scenario.folder.resolve("launcher.log");
            try (FlussoProcess flusso = FlussoProcess.startWithModules(scenario.folder, log, Map.of(), "", "run", "-c", "flusso.toml")) {
                try {
                    flusso.awaitLog("streaming live changes", Duration.ofSeconds(120));
                } catch (AssertionError e) {
                    assertFalse(true, scenario.describe() + ": the launcher's command line cannot run an opensearch"
                            + " deployment: " + e.getMessage());
                }
                flusso.stop();
            }
            scenario.pass();
        }
    }
}
