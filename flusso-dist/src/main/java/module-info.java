/**
 * Starts Flusso in its runtime image. The modules jlink can link are in the image's boot layer; this module builds
 * a module layer from {@code lib/app/} of the installation (the command and the modules it needs that depend on
 * automatic modules, which jlink refuses) and runs the command's {@code main} there.
 */
module dev.flusso.dist {
}
