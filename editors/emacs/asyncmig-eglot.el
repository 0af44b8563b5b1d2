;;; asyncmig-eglot.el --- asyncmig language server with Eglot  -*- lexical-binding: t; -*-

;; Eglot is built into Emacs 29+; on older Emacs install it from GNU ELPA.
;; Paste into your init file. `asyncmig' must be on `exec-path'; otherwise use the
;; absolute path of the binary instead of "asyncmig".

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((python-mode python-ts-mode)
                 . ("asyncmig" "serve"
                    ;; Same keys as [tool.asyncmig] in pyproject.toml (kebab-case or camelCase).
                    :initializationOptions (:unsafeFixes :json-false)))))

;; Start asyncmig in every Python buffer.
(add-hook 'python-mode-hook #'eglot-ensure)
(add-hook 'python-ts-mode-hook #'eglot-ensure)

;; Emacs 29+: let project.el (and so Eglot) treat pyproject.toml / setup.cfg as project roots,
;; not only the VCS root.
(when (boundp 'project-vc-extra-root-markers)
  (setq project-vc-extra-root-markers '("pyproject.toml" "setup.cfg")))

(defun asyncmig-fix-all ()
  "Apply every safe asyncmig fix in the current buffer (source.fixAll.asyncmig)."
  (interactive)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.asyncmig" t))

;;; asyncmig-eglot.el ends here
